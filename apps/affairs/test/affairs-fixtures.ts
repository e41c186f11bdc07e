import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { residentIdCheckCharacter } from '@app/bus';
import { AppConfig } from '@app/config';
import { creditCodeCheckCharacter } from '@app/contracts';
import { repoRoot } from '@app/embedded';
import { TestRegions } from '@app/testing';
import { AffairsConfig } from '../src/affairs.config';
import { AffairsAppModule } from '../src/app.module';
import { MatterCatalogue } from '../src/catalogue/matter-catalogue';
import { RegionEncryption } from '../src/keys/region-encryption';

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

/**
 * The affairs module of a test region: the catalogue file given, the repository's holiday calendar, and the
 * development encryption key of the region's base name (the test's regions are renamed, their keys are not).
 */
export function affairsModule(regions: TestRegions, matters = mattersFile(regions.names)) {
  return (config: AppConfig) => {
    const base = Object.keys(regions.names).find((name) => regions.names[name] === config.region)!;
    const affairs = Object.assign(new AffairsConfig(), {
      AFFAIRS_MATTERS_FILE: matters,
      AFFAIRS_CALENDAR_FILE: join(repoRoot(), 'config', 'holidays.json'),
      REGION_ENCRYPTION_KEY: readFileSync(join(repoRoot(), 'config', 'dev-keys', `${base}.x25519`), 'utf8').trim(),
    });
    return AffairsAppModule.register(config, {
      affairs,
      catalogue: MatterCatalogue.load(affairs, config.registry.names),
      encryption: RegionEncryption.load(config, affairs),
    });
  };
}

/** A synthetic unified social credit code registered in `division` (370285 Laixi, 370682 Laiyang). */
export function creditCode(division: string, serial: number): string {
  const first17 = `91${division}MA${String(serial)
    .padStart(7, '0')
    .replace(/[IOSVZ]/g, '0')}`;
  return first17 + creditCodeCheckCharacter(first17);
}

/** A synthetic resident ID of `area`, none of them a real person's. */
export function residentId(area: string, serial: number): string {
  const first17 = `${area}19850${(serial % 9) + 1}1${serial % 10}${String(serial % 1000).padStart(3, '0')}`;
  return first17 + residentIdCheckCharacter(first17);
}
