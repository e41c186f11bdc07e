import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@app/embedded';

export interface MattersFile {
  version: string;
  matters: (Record<string, unknown> & { code: string; windows: 'all' | string[] })[];
}

/** config/matters.json with its windows' region names renamed to the test's regions, changed by `edit`. */
export function mattersFile(names: Record<string, string>, edit: (file: MattersFile) => void = () => {}): string {
  const file = JSON.parse(readFileSync(join(repoRoot(), 'config', 'matters.json'), 'utf8')) as MattersFile;
  for (const matter of file.matters) {
    if (matter.windows !== 'all') matter.windows = matter.windows.map((name) => names[name] ?? name);
  }
  edit(file);
  const path = join(mkdtempSync(join(tmpdir(), 'shuanglai-affairs-')), 'matters.json');
  writeFileSync(path, JSON.stringify(file));
  return path;
}
