import fs from 'node:fs';
import path from 'node:path';
import type { BundleOptions } from '@temporalio/worker';
import { failureConverterPath } from '../temporal/data-converter';

/** Tracing's, in every bundle: it traces only workflows whose start carried a trace context. */
export const workflowInterceptorModules = [require.resolve('../telemetry/workflow-interceptors')];

/** What the workflow bundle is made of, the same whether it is built at start or ahead of time. */
export const workflowBundleOptions = (): Pick<
  BundleOptions,
  'workflowsPath' | 'failureConverterPath' | 'workflowInterceptorModules'
> => ({
  workflowsPath: require.resolve('../workflows'),
  failureConverterPath,
  workflowInterceptorModules,
});

/**
 * Where `npm run build` writes the bundle: beside this module in `dist/`, so a build's worker finds its own and
 * never one from another build. Running from source there is none, and the worker bundles at start.
 */
export const prebuiltBundlePath = path.join(__dirname, 'workflow-bundle.js');

/** The prebuilt bundle when there is one (no 5 s of bundling at every start), else the workflows to bundle. */
export const workflowCode = (): { workflowBundle: { codePath: string } } | { workflowsPath: string } =>
  fs.existsSync(prebuiltBundlePath)
    ? { workflowBundle: { codePath: prebuiltBundlePath } }
    : { workflowsPath: workflowBundleOptions().workflowsPath };
