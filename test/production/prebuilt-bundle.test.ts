import assert from 'node:assert/strict';
import fs from 'node:fs';
import { builtWorkflowCode } from '../../scripts/build/built-worker';
import { itReplaysEveryRecordedHistory } from '../support/replay';

describe("the build's prebuilt workflow bundle replays the histories of earlier versions", () => {
  let prebuilt: string;
  before(async () => {
    ({ prebuiltBundlePath: prebuilt } = await builtWorkflowCode());
    assert.ok(fs.existsSync(prebuilt), `${prebuilt} missing: run npm run build`);
  });
  itReplaysEveryRecordedHistory(() => Promise.resolve({ codePath: prebuilt }));
});
