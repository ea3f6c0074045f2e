import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchDir, repoRoot } from './common';

// ---------------------------------------------------------------------------------------------------------------
// Statistics

/** Nearest-rank percentile of already sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function distribution(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1);
  return {
    count: sorted.length,
    min: sorted[0] ?? NaN,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
    mean,
  };
}

export const perSecond = (count: number, ms: number) => (ms > 0 ? count / (ms / 1_000) : NaN);
export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
export const fmt = (value: number, digits = 1) =>
  Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: digits }) : String(value);
export const mib = (bytes: number) => bytes / 1024 / 1024;
/** The middle value (the upper one of an even count): what stays resident of samples that move with GC. */
export const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

// ---------------------------------------------------------------------------------------------------------------
// Tables

export type Cell = string | number;

/** A plain-text table; numbers are right-aligned and formatted. */
export function printTable(title: string, header: string[], rows: Cell[][]): void {
  const text = rows.map((row) => row.map((cell) => (typeof cell === 'number' ? fmt(cell, 2) : cell)));
  const widths = header.map((h, i) => Math.max(h.length, ...text.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[], numeric: boolean[]) =>
    cells.map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ');
  console.log(`\n${title}`);
  console.log(
    line(
      header,
      header.map(() => false),
    ),
  );
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (let r = 0; r < rows.length; r++)
    console.log(
      line(
        text[r]!,
        rows[r]!.map((cell) => typeof cell === 'number'),
      ),
    );
}

/** A two-column table of named figures. */
export const printFigures = (title: string, figures: [string, Cell][]) =>
  printTable(title, ['figure', 'value'], figures);

// ---------------------------------------------------------------------------------------------------------------
// The JSON result

function gitRevision(): string | undefined {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: repoRoot }).toString().trim();
    return dirty ? `${commit}+uncommitted src changes` : commit;
  } catch {
    return undefined;
  }
}

const loadAtStart = os.loadavg();
const startedAt = new Date();

/**
 * Writes `.bench/<file>.json` with the figures and what they were measured on; the load average is there
 * because this machine is shared, and a neighbour's load explains a slow run.
 */
export function writeResult(file: string, result: Record<string, unknown>): string {
  fs.mkdirSync(benchDir, { recursive: true });
  const target = path.join(benchDir, `${file}.json`);
  const document = {
    bench: file,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    revision: gitRevision(),
    machine: {
      cpus: os.cpus().length,
      node: process.version,
      loadAverageAtStart: loadAtStart.map((v) => round(v)),
      loadAverageAtEnd: os.loadavg().map((v) => round(v)),
    },
    ...result,
  };
  fs.writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
  console.log(
    `\nresult: ${path.relative(repoRoot, target)} (load average ${loadAtStart.map((v) => fmt(v, 2)).join(' ')} at start, ${os
      .loadavg()
      .map((v) => fmt(v, 2))
      .join(' ')} at end)`,
  );
  return target;
}

export function readResult<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(benchDir, `${file}.json`), 'utf8')) as T;
  } catch {
    return undefined;
  }
}
