/** Back-off pauses that a stopping bridge cuts short, so shutdown never waits out a retry delay. */
export function interruptibleSleep() {
  const sleepers = new Set<() => void>();
  return {
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          sleepers.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        sleepers.add(done);
      }),
    wakeAll: () => {
      for (const done of [...sleepers]) done();
    },
  };
}
