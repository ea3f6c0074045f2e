import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { itReplaysEveryRecordedHistory } from '../support/replay';

/** Where the built worker (dist/src/worker/workflow-code.js) looks for it; `npm run build` writes it. */
const prebuilt = path.join(__dirname, '..', '..', 'dist', 'src', 'worker', 'workflow-bundle.js');

describe("the build's prebuilt workflow bundle replays the histories of earlier versions", () => {
  before(() => assert.ok(fs.existsSync(prebuilt), `${prebuilt} missing: run npm run build`));
  itReplaysEveryRecordedHistory(() => Promise.resolve({ codePath: prebuilt }));
});
