import { testWorkflowBundle } from '../support/harness';
import { itReplaysEveryRecordedHistory } from '../support/replay';

/**
 * Histories recorded from earlier versions of `deliverMessage` must replay on the current code: a change that
 * breaks determinism would fail every message in flight at deploy time. Add a history whenever a change is
 * guarded by `patched()`. The build's prebuilt bundle replays them too (test/production/prebuilt-bundle.test.ts).
 */
describe('deliverMessage replays the histories of earlier versions', () => {
  itReplaysEveryRecordedHistory(testWorkflowBundle);
});
