import { Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { stopHarness } from './harness';

// The SDK runtime can be installed once per process; quiet it so test output stays readable.
Runtime.install({
  logger: {
    log: () => undefined,
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (m: string) => console.error(m),
  },
  telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } },
});

export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await stopHarness();
  },
};
