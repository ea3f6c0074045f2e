import { installSdkRuntime } from '../../src/temporal/runtime';
import { stopHarness } from './harness';

installSdkRuntime('ERROR');

export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await stopHarness();
  },
};
