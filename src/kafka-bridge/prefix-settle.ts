export interface PrefixSettleOptions<T> {
  /** Records worked on at once. */
  inFlight: number;
  /** Checked before each record is taken; false stops taking new ones (rebalance, shutdown). */
  keepGoing: () => boolean;
  settle: (record: T) => Promise<void>;
  /** Called in record order, for each record once it and every record before it have settled. */
  settledPrefix: (record: T) => Promise<void> | void;
}

/**
 * Works through records `inFlight` at a time but reports them as done strictly in order, so what is committed
 * never skips a record still in flight. After a failure no lane takes a new record, since nothing past the
 * failed one can be reported; every lane ends before this returns or throws, so nothing settles after the
 * caller has moved on, and the first failure is rethrown.
 */
export async function settleInPrefixOrder<T>(records: readonly T[], options: PrefixSettleOptions<T>): Promise<void> {
  const settled = new Set<number>();
  let next = 0;
  let prefix = 0;
  let failed = false;
  const lane = async () => {
    while (next < records.length && !failed && options.keepGoing()) {
      const index = next++;
      try {
        await options.settle(records[index]!);
      } catch (err) {
        failed = true;
        throw err;
      }
      settled.add(index);
      while (settled.has(prefix)) await options.settledPrefix(records[prefix++]!);
    }
  };
  const lanes = await Promise.allSettled(Array.from({ length: Math.min(options.inFlight, records.length) }, lane));
  const rejected = lanes.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (rejected) throw rejected.reason;
}
