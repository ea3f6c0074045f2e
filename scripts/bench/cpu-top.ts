import fs from 'node:fs';
import path from 'node:path';
import { benchDir, repoRoot } from './common';
import { fmt, printFigures, printTable, round, writeResult } from './figures';

/** The parts of V8's .cpuprofile format (what `node --cpu-prof` writes) that self time needs. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

interface Window {
  fromMicros: number;
  toMicros: number;
}

const dir = path.resolve(process.argv[2] ?? path.join(benchDir, 'profile'));
const top = Number(process.argv[3] ?? 15);

const location = (url: string, line: number) => {
  if (!url) return '';
  const file = url.replace(/^file:\/\//, '');
  const relative = file.startsWith(repoRoot) ? path.relative(repoRoot, file) : file;
  return `${relative}:${line + 1}`;
};

const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')) : [];
if (files.length === 0) {
  console.error(`no .cpuprofile files in ${dir}; run \`npm run bench:profile\``);
  process.exit(1);
}
const windowFile = path.join(dir, 'window.json');
const window = fs.existsSync(windowFile) ? (JSON.parse(fs.readFileSync(windowFile, 'utf8')) as Window) : undefined;

const selfMicros = new Map<string, number>();
const threads: [string, number, number][] = [];
let total = 0;
let idle = 0;
for (const file of files) {
  const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
  const keys = new Map(
    profile.nodes.map(({ id, callFrame: f }) => [
      id,
      `${f.functionName || '(anonymous)'}\u0000${location(f.url, f.lineNumber)}`,
    ]),
  );
  // Sample i runs from its timestamp to the next one's, as DevTools counts it.
  let at = profile.startTime;
  let threadTotal = 0;
  let threadIdle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    const duration = profile.timeDeltas[i + 1] ?? 0;
    if (window && (at < window.fromMicros || at > window.toMicros)) continue;
    const key = keys.get(profile.samples[i]!) ?? '(unknown)';
    if (key.startsWith('(idle)')) {
      threadIdle += duration;
      continue;
    }
    threadTotal += duration;
    selfMicros.set(key, (selfMicros.get(key) ?? 0) + duration);
  }
  threads.push([file, threadTotal / 1000, threadIdle / 1000]);
  total += threadTotal;
  idle += threadIdle;
}

const ranked = [...selfMicros.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
printTable(
  `Top ${top} functions by self time${window ? ' (measured phase only)' : ''}, all threads`,
  ['self ms', '% busy', 'function', 'where'],
  ranked.map(([key, micros]) => {
    const [name = '', where = ''] = key.split('\u0000');
    return [micros / 1000, `${fmt((100 * micros) / total, 1)}%`, name, where];
  }),
);
printTable('Threads (one profile each: main, workflow threads, loader)', ['profile', 'busy ms', 'idle ms'], threads);
printFigures('Totals', [
  ['busy ms (all threads)', total / 1000],
  ['idle ms (all threads)', idle / 1000],
  ['window', window ? `${fmt((window.toMicros - window.fromMicros) / 1e6, 1)} s` : 'whole run (no window.json)'],
]);
writeResult('profile-top', {
  profiles: files,
  window: window ?? null,
  busyMs: round(total / 1000),
  top: ranked.map(([key, micros]) => {
    const [name, where] = key.split('\u0000');
    return { function: name, where, selfMs: round(micros / 1000), percentOfBusy: round((100 * micros) / total) };
  }),
});
