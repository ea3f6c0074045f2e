import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { withTimeout } from '../load/async';
import { repoRoot } from '../load/child-process';
import type { CompletionOptions } from '../load/completion';

export { repoRoot };
export const benchDir = path.join(repoRoot, '.bench');

export const hex = (bytes: number) => randomBytes(bytes).toString('hex');

// ---------------------------------------------------------------------------------------------------------------
// Sizes and settings from the environment

function envValue<T>(name: string, fallback: T, parse: (raw: string) => T | undefined, expected: string): T {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = parse(raw.trim());
  if (value === undefined) throw new Error(`${name}=${raw}: expected ${expected}`);
  return value;
}

const nonNegativeInt = (raw: string) => (/^\d+$/.test(raw) ? Number(raw) : undefined);

export const envInt = (name: string, fallback: number) =>
  envValue(name, fallback, nonNegativeInt, 'a whole number ≥ 0');

export const envNumber = (name: string, fallback: number) =>
  envValue(
    name,
    fallback,
    (raw) => (Number.isFinite(Number(raw)) && Number(raw) > 0 ? Number(raw) : undefined),
    'a number > 0',
  );

export const envIntList = (name: string, fallback: number[]) =>
  envValue(
    name,
    fallback,
    (raw) => {
      const values = raw.split(',').map((part) => nonNegativeInt(part.trim()));
      return values.some((v) => v === undefined) ? undefined : values.map(Number);
    },
    'comma-separated whole numbers, e.g. 0,10000,100000',
  );

// ---------------------------------------------------------------------------------------------------------------
// Running a bench: cleanup on every exit path (child processes never outlive the script: scripts/load)

export interface BenchContext {
  name: string;
  /** Cleanups run last-registered-first, on success, failure and Ctrl-C alike. */
  defer: (label: string, cleanup: () => unknown) => void;
  log: (message: string) => void;
  /** How `waitForCompleted` reports progress and when it gives up (BENCH_STALL_SECONDS without progress). */
  completion: CompletionOptions;
}

export function runBench(name: string, body: (ctx: BenchContext) => Promise<void>): void {
  const startedAt = Date.now();
  const cleanups: { label: string; run: () => unknown }[] = [];
  const log = (message: string) =>
    console.log(`[bench:${name} +${((Date.now() - startedAt) / 1000).toFixed(1)}s] ${message}`);
  const ctx: BenchContext = {
    name,
    defer: (label, run) => {
      cleanups.push({ label, run });
    },
    log,
    completion: { log, stallMs: envInt('BENCH_STALL_SECONDS', 120) * 1_000 },
  };

  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const { label, run } of cleanups.reverse()) {
        try {
          await withTimeout(Promise.resolve().then(run), 120_000, `cleanup "${label}"`);
        } catch (err) {
          console.error(`[bench:${name}] cleanup "${label}" failed: ${(err as Error).message}`);
        }
      }
    })());

  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(130); // a second Ctrl-C: the 'exit' hook still kills the children
    interrupted = true;
    console.error(`[bench:${name}] ${signal}: cleaning up (again to force)`);
    void cleanup().then(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A library promise nobody awaits (a worker's run, a consumer) failing must still end in the cleanups, or the
  // bench's workflows stay behind on the shared server.
  process.on('unhandledRejection', (err) => {
    console.error(
      `[bench:${name}] unhandled rejection: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
    process.exitCode = 1;
    void cleanup().then(() => process.exit(1));
  });

  void body(ctx)
    .then(
      () => log(`done in ${((Date.now() - startedAt) / 1000).toFixed(1)}s`),
      (err: unknown) => {
        console.error(`[bench:${name}] FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        process.exitCode = 1;
      },
    )
    .then(cleanup)
    .then(() => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      // Everything is closed by now; a library handle left open must not keep a finished bench hanging.
      setTimeout(() => {
        const open = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
        console.warn(`[bench:${name}] still open 10 s after cleanup (${open.join(', ')}); exiting anyway`);
        process.exit();
      }, 10_000).unref();
    });
}
