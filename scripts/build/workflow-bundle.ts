import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { builtWorkflowCode } from './built-worker';

/** `npm run build`'s second step: the built worker's workflows, bundled where it looks, so it starts without bundling. */
async function main(): Promise<void> {
  const { workflowBundleOptions, prebuiltBundlePath } = await builtWorkflowCode();
  const { code } = await bundleWorkflowCode(workflowBundleOptions());
  fs.writeFileSync(prebuiltBundlePath, code);
  const where = path.relative(process.cwd(), prebuiltBundlePath);
  console.log(`workflow bundle: ${where} (${Math.round(code.length / 1024)} KiB)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
