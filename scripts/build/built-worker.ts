import path from 'node:path';
import type * as WorkflowCode from '../../src/worker/workflow-code';

/**
 * The build's own `workflow-code` module, from `dist/` (after `tsc`): where that worker looks for its prebuilt
 * bundle, and the workflows it is made of, so the bundle is written and read at one place.
 */
export const builtWorkflowCode = (): Promise<typeof WorkflowCode> =>
  import(path.join(__dirname, '..', '..', 'dist', 'src', 'worker', 'workflow-code.js'));
