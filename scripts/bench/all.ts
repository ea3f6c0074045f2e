import { spawn } from 'node:child_process';
import path from 'node:path';
import { fmt, printTable } from './figures';

/** In this order: latency reads the end-to-end maximum that ceiling writes. */
const benches = ['ceiling', 'kafka', 'latency', 'window', 'sleeping', 'history'];

let interrupted = false;
// The running bench gets the terminal's Ctrl-C too and cleans up; the runner only stops starting new ones.
process.on('SIGINT', () => (interrupted = true));
process.on('SIGTERM', () => (interrupted = true));

async function main(): Promise<void> {
  const results: [string, string, string][] = [];
  for (const name of benches) {
    if (interrupted) {
      results.push([name, 'not run', '']);
      continue;
    }
    console.log(`\n=== bench:${name} ===`);
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, `${name}.ts`)], {
      stdio: 'inherit',
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    results.push([name, code === 0 ? 'ok' : `FAILED (exit ${code})`, `${fmt((Date.now() - started) / 60_000, 1)} min`]);
  }
  printTable('Benchmarks', ['bench', 'outcome', 'took'], results);
  console.log('results in .bench/*.json');
  if (results.some(([, outcome]) => outcome !== 'ok')) process.exitCode = 1;
}

void main();
