import { mkdirSync, writeFileSync } from 'node:fs';
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

/** A target of the issue, checked against a result and its baseline. */
export interface Target {
  name: string;
  describe: string;
  met(result: BenchResult): boolean;
}

export const TARGETS: Target[] = [
  { name: 'bus.e2e.throughput', describe: '>= 5000 events/s', met: (r) => r.value >= 5000 },
  {
    name: 'bus.e2e.tx.throughput',
    describe: '>= 50% of baseline',
    met: (r) => r.baseline !== undefined && r.value >= 0.5 * r.baseline.value,
  },
  { name: 'bus.e2e.p99', describe: '<= 100 ms (aim 50)', met: (r) => r.value <= 100 },
  {
    name: 'stack.federated.p99',
    describe: '<= 3x baseline',
    met: (r) => r.baseline !== undefined && r.value <= 3 * r.baseline.value,
  },
  { name: 'stack.startup', describe: '<= 60 s', met: (r) => r.value <= 60 },
  { name: 'lab.reuse.p99', describe: '<= 100 ms at 200 queries/s', met: (r) => r.value <= 100 },
  { name: 'talent.status.throughput', describe: '>= 1500 requests/s', met: (r) => r.value >= 1500 },
  { name: 'talent.claim.p99', describe: '<= 1000 ms', met: (r) => r.value <= 1000 },
];

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 100 ? Math.round(value).toString() : value.toFixed(1);
}

/** The results as a fixed-width table: name, value, unit, baseline, baseline value, ratio, target. */
export function table(results: BenchResult[]): string {
  const header = ['name', 'value', 'unit', 'baseline', 'baseline value', 'ratio', 'target'];
  const rows = results.map((result) => {
    const target = TARGETS.find((t) => t.name === result.name);
    return [
      result.name,
      format(result.value),
      result.unit,
      result.baseline?.name ?? '',
      result.baseline ? format(result.baseline.value) : '',
      result.baseline && result.baseline.value !== 0 ? (result.value / result.baseline.value).toFixed(2) : '',
      target ? `${target.met(result) ? 'met' : 'MISSED'} (${target.describe})` : '',
    ];
  });
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i].length)));
  const numeric = new Set([1, 4, 5]);
  const line = (row: string[]) =>
    row
      .map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function writeReport(file: string, report: BenchReport): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
