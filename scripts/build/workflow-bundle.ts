import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowBundleOptions } from '../../src/worker/workflow-code';

/**
 * `npm run build`'s second step: the workflow bundle, written where the built worker looks for it
 * (`prebuiltBundlePath` of dist/src/worker/workflow-code.js), so a worker from `dist/` starts without bundling.
 */
async function main(): Promise<void> {
  const target = path.join(__dirname, '..', '..', 'dist', 'src', 'worker', 'workflow-bundle.js');
  const { code } = await bundleWorkflowCode(workflowBundleOptions());
  fs.writeFileSync(target, code);
  console.log(`workflow bundle: ${path.relative(process.cwd(), target)} (${Math.round(code.length / 1024)} KiB)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
