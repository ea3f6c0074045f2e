import { installSdkRuntime } from '../../src/temporal/runtime';
import { stopHarness } from './harness';

installSdkRuntime((process.env.TEST_SDK_LOG_LEVEL as 'ERROR') ?? 'ERROR');

export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await stopHarness();
  },
};
