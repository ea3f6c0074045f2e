import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Resident memory of a process now, from /proc. */
export const rssOf = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;

/** User + system CPU seconds since the process started, from /proc. */
export function cpuSecondsOf(pid: number): number {
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th of the whole line.
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

/** CPU seconds of the whole machine since boot, all cores: busy (neither idle nor waiting on I/O) and in total. */
export function machineCpuSeconds(): { busy: number; total: number } {
  // cpu user nice system idle iowait irq softirq steal …; guest time is already counted in user.
  const ticks = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = ticks.map((t) => t / clockTicks) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}
