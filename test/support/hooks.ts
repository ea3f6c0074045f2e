import { installSdkRuntime } from '../../src/temporal/runtime';
import { stopHarness } from './harness';

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    // The SDK's errors stay visible in a quiet run, as pino lines.
    await installSdkRuntime(
      (process.env.TEST_SDK_LOG_LEVEL as 'ERROR') ?? 'ERROR',
      process.env.TEST_LOG_LEVEL ?? 'error',
    );
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await stopHarness();
  },
};
