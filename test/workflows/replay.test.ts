import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { failureConverterPath } from '../../src/temporal/data-converter';
import { EncryptionCodec, parseEncryptionKeys } from '../../src/codec/encryption-codec';
import { testWorkflowBundle } from '../support/harness';

const histories = path.join(__dirname, 'histories');
/** The key the recorded histories were encrypted with: a test fixture, not a secret. */
const replayKey = `replay:${Buffer.alloc(32, 7).toString('base64')}`;

/**
 * Histories recorded from earlier versions of `deliverMessage` must replay on the current code: a change that
 * breaks determinism would fail every message in flight at deploy time. Add a history whenever a change is
 * guarded by `patched()`.
 */
describe('deliverMessage replays the histories of earlier versions', () => {
  for (const file of fs.readdirSync(histories).filter((name) => name.endsWith('.pb'))) {
    it(file, async function () {
      this.timeout(60_000);
      // Written by `npm run history:capture`.
      const history = temporal.api.history.v1.History.decode(fs.readFileSync(path.join(histories, file)));
      await Worker.runReplayHistory(
        {
          workflowBundle: await testWorkflowBundle(),
          dataConverter: { payloadCodecs: [new EncryptionCodec(parseEncryptionKeys(replayKey))], failureConverterPath },
        },
        history,
      );
    });
  }
});
