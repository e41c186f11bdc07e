import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
}

export interface BenchReport {
  machine: { cores: number; node: string; kafka: string };
  results: BenchResult[];
}

/**
 * A target, checked against a result: a bound on its ratio to the baseline measured in the same run (the machines
 * are shared and noisy, so ratios compare), or on its absolute value where the issue sets one (memory).
 */
export interface Target {
  name: string;
  /** The ratio to the result's own baseline must be at least `min` or at most `max`. */
  ratio?: { min?: number; max?: number };
  /** The value itself must be at least `min` or at most `max`. */
  absolute?: { min?: number; max?: number };
  /** Another result that must hold for this one to count, e.g. the rate at which a p99 was measured. */
  requires?: string;
}

/** The performance issue's targets (ratios to the same run's baselines; memory absolute). */
export const TARGETS: Target[] = [
  { name: 'bus.e2e.throughput', ratio: { min: 0.35 } },
  { name: 'bus.e2e.tx.throughput', ratio: { min: 0.75 } },
  { name: 'bus.e2e.p99', ratio: { max: 4 } },
  { name: 'health.replication.p99', ratio: { max: 3 } },
  { name: 'health.read.p99', ratio: { max: 5 }, requires: 'health.read.rate' },
  // Answered at the offered rate (autocannon's average counts within a few percent of it).
  { name: 'health.read.rate', ratio: { min: 0.95 } },
  { name: 'lab.reuse.p99', ratio: { max: 1.5 } },
  { name: 'talent.status.throughput', ratio: { min: 0.7 } },
  { name: 'police.sse.rss', absolute: { max: 300 } },
  { name: 'stack.rss', absolute: { max: 1200 } },
];

function ratioOf(result: BenchResult): number | undefined {
  return result.baseline && result.baseline.value !== 0 ? result.value / result.baseline.value : undefined;
}

function within(value: number | undefined, bound: { min?: number; max?: number }): boolean {
  if (value === undefined || !Number.isFinite(value)) return false;
  return (bound.min === undefined || value >= bound.min) && (bound.max === undefined || value <= bound.max);
}

function describe(target: Target): string {
  const bound = (b: { min?: number; max?: number }, unit: string) =>
    [b.min !== undefined ? `>= ${b.min}${unit}` : '', b.max !== undefined ? `<= ${b.max}${unit}` : '']
      .filter(Boolean)
      .join(' and ');
  const parts = [target.ratio && `ratio ${bound(target.ratio, '')}`, target.absolute && bound(target.absolute, '')];
  if (target.requires) parts.push(`with ${target.requires} met`);
  return parts.filter(Boolean).join(', ');
}

/** Whether a result meets its target; undefined when it has none. */
export function verdict(result: BenchResult, all: BenchResult[]): { met: boolean; describe: string } | undefined {
  const target = TARGETS.find((t) => t.name === result.name);
  if (!target) return undefined;
  let met = true;
  if (target.ratio) met &&= within(ratioOf(result), target.ratio);
  if (target.absolute) met &&= within(result.value, target.absolute);
  if (target.requires) {
    const required = all.find((r) => r.name === target.requires);
    met &&= required !== undefined && verdict(required, all)?.met === true;
  }
  return { met, describe: describe(target) };
}

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 100 ? Math.round(value).toString() : value.toFixed(1);
}

/** The results as a fixed-width table: name, value, unit, baseline, baseline value, ratio, target. */
export function table(results: BenchResult[]): string {
  const header = ['name', 'value', 'unit', 'baseline', 'baseline value', 'ratio', 'target'];
  const rows = results.map((result) => {
    const checked = verdict(result, results);
    const ratio = ratioOf(result);
    return [
      result.name,
      format(result.value),
      result.unit,
      result.baseline?.name ?? '',
      result.baseline ? format(result.baseline.value) : '',
      ratio !== undefined ? ratio.toFixed(2) : '',
      checked ? `${checked.met ? 'met' : 'MISSED'} (${checked.describe})` : '',
    ];
  });
  return fixedWidth(header, rows, new Set([1, 4, 5]));
}

/**
 * `npm run bench -- --compare <file>`: each figure of this run beside the same figure of an earlier results file,
 * with the change of its value and of its ratio to its baseline (the ratio is what compares across machines).
 */
export function comparison(current: BenchResult[], earlier: BenchResult[]): string {
  const header = ['name', 'before', 'after', 'change', 'ratio before', 'ratio after', 'target'];
  const change = (before: number | undefined, after: number | undefined) =>
    before !== undefined && after !== undefined && before !== 0
      ? `${after >= before ? '+' : ''}${(((after - before) / before) * 100).toFixed(1)}%`
      : '';
  const names = [...new Set([...current, ...earlier].map((r) => r.name))];
  const rows = names.map((name) => {
    const before = earlier.find((r) => r.name === name);
    const after = current.find((r) => r.name === name);
    const [ratioBefore, ratioAfter] = [before && ratioOf(before), after && ratioOf(after)];
    const checked = after && verdict(after, current);
    return [
      name,
      before ? format(before.value) : '-',
      after ? format(after.value) : '-',
      change(before?.value, after?.value),
      ratioBefore !== undefined ? ratioBefore.toFixed(2) : '',
      ratioAfter !== undefined ? ratioAfter.toFixed(2) : '',
      checked ? (checked.met ? 'met' : 'MISSED') : '',
    ];
  });
  return fixedWidth(header, rows, new Set([1, 2, 3, 4, 5]));
}

function fixedWidth(header: string[], rows: string[][], numeric: Set<number>): string {
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i].length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** An earlier run's results file, checked enough to compare against. */
export function readReport(file: string): BenchReport {
  const report = JSON.parse(readFileSync(file, 'utf8')) as BenchReport;
  if (!Array.isArray(report.results)) throw new Error(`${file} is not a benchmark results file (no results)`);
  return report;
}

export function writeReport(file: string, report: BenchReport): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
