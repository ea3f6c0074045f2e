import { cpuSecondsOf } from '../load/proc-stats';
import { readPid } from '../stack/processes';
import type { BenchChild } from './children';

/**
 * CPU seconds spent by every process a run shares the two cores with, over a span: this process (the API and
 * the workers, all threads), the stack's servers and the given children. Shows where a message's CPU goes.
 */
export function cpuMeter(children: Record<string, BenchChild | undefined>) {
  const sources: [string, () => number][] = [
    [
      'bench process (API + workers)',
      () => {
        const { user, system } = process.cpuUsage();
        return (user + system) / 1e6;
      },
    ],
    ...['temporal', 'kafka', 'ferretdb'].flatMap((name): [string, () => number][] => {
      const pid = readPid(name);
      return pid === undefined ? [] : [[`${name} (stack)`, () => cpuSecondsOf(pid)]];
    }),
    ...Object.entries(children).flatMap(([name, child]): [string, () => number][] =>
      child ? [[name, () => child.cpuSeconds()]] : [],
    ),
  ];
  const read = () => sources.map(([, seconds]) => seconds());
  const from = read();
  return {
    /** CPU seconds per source since the meter started. */
    stop: (): Record<string, number> => {
      const to = read();
      return Object.fromEntries(sources.map(([name], i) => [name, to[i]! - from[i]!]));
    },
  };
}
