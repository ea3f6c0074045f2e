import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { EncryptionCodec, parseEncryptionKeys } from '../../src/codec/encryption-codec';
import { failureConverterPath } from '../../src/temporal/data-converter';

const histories = path.join(__dirname, '..', 'workflows', 'histories');
/** The key the recorded histories were encrypted with: a test fixture, not a secret. */
const replayKey = `replay:${Buffer.alloc(32, 7).toString('base64')}`;

/**
 * One test per history recorded from an earlier version of `deliverMessage` (`npm run history:capture`): each
 * must replay on the given workflow code without nondeterminism.
 */
export function itReplaysEveryRecordedHistory(bundle: () => Promise<WorkflowBundleOption>): void {
  for (const file of fs.readdirSync(histories).filter((name) => name.endsWith('.pb'))) {
    it(file, async function () {
      this.timeout(60_000);
      const history = temporal.api.history.v1.History.decode(fs.readFileSync(path.join(histories, file)));
      await Worker.runReplayHistory(
        {
          workflowBundle: await bundle(),
          dataConverter: { payloadCodecs: [new EncryptionCodec(parseEncryptionKeys(replayKey))], failureConverterPath },
        },
        history,
      );
    });
  }
}
