import { BenchResult, comparison, table, verdict } from './report';

const result = (name: string, value: number, baseline?: number): BenchResult => ({
  name,
  value,
  unit: 'x',
  ...(baseline !== undefined && { baseline: { name: `${name}.baseline`, value: baseline } }),
});

describe('bench targets', () => {
  it('checks a ratio to the same run’s baseline, on the right side', () => {
    expect(verdict(result('bus.e2e.throughput', 4000, 10_000), [])?.met).toBe(true);
    expect(verdict(result('bus.e2e.throughput', 3000, 10_000), [])?.met).toBe(false);
    expect(verdict(result('bus.e2e.p99', 40, 10), [])?.met).toBe(true);
    expect(verdict(result('bus.e2e.p99', 41, 10), [])?.met).toBe(false);
  });

  it('misses a ratio target when the baseline is missing or zero', () => {
    expect(verdict(result('lab.reuse.p99', 10), [])?.met).toBe(false);
    expect(verdict(result('lab.reuse.p99', 10, 0), [])?.met).toBe(false);
  });

  it('checks memory as an absolute bound', () => {
    expect(verdict(result('police.sse.rss', 299, 280), [])?.met).toBe(true);
    expect(verdict(result('police.sse.rss', 301, 280), [])?.met).toBe(false);
  });

  it('counts a p99 only when it was measured at the offered rate', () => {
    const p99 = result('health.read.p99', 20, 8);
    expect(verdict(p99, [p99, result('health.read.rate', 498, 500)])?.met).toBe(true);
    expect(verdict(p99, [p99, result('health.read.rate', 186, 500)])?.met).toBe(false);
    expect(verdict(p99, [p99])?.met).toBe(false);
  });

  it('has no verdict for a figure without a target', () => {
    expect(verdict(result('kafka.raw.p99', 15), [])).toBeUndefined();
  });

  it('prints each figure’s ratio and verdict', () => {
    const lines = table([result('bus.e2e.throughput', 1791, 13_916), result('kafka.raw.throughput', 13_916)]).split(
      '\n',
    );
    expect(lines[2]).toMatch(
      /^bus\.e2e\.throughput\s+1791\s+x\s+bus\.e2e\.throughput\.baseline\s+13916\s+0\.13\s+MISSED \(ratio >= 0\.35\)$/,
    );
    expect(lines[3]).toMatch(/^kafka\.raw\.throughput\s+13916\s+x$/);
  });

  it('compares a run with an earlier one, figure by figure, value and ratio', () => {
    const lines = comparison(
      [result('bus.e2e.p99', 40, 10), result('new.figure', 1)],
      [result('bus.e2e.p99', 130, 15.6), result('gone.figure', 2)],
    ).split('\n');
    expect(lines[0]).toMatch(/^name\s+before\s+after\s+change\s+ratio before\s+ratio after\s+target$/);
    expect(lines.find((l) => l.startsWith('bus.e2e.p99'))).toMatch(/130\s+40\.0\s+-69\.2%\s+8\.33\s+4\.00\s+met$/);
    expect(lines.find((l) => l.startsWith('new.figure'))).toMatch(/-\s+1\.0$/);
    expect(lines.find((l) => l.startsWith('gone.figure'))).toMatch(/2\.0\s+-$/);
  });
});
