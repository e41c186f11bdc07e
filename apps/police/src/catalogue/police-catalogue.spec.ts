import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadServiceConfig } from '@app/config';
import { PoliceConfig } from '../police.config';
import { PoliceCatalogue } from './police-catalogue';

describe(PoliceCatalogue.name, () => {
  const dir = mkdtempSync(join(tmpdir(), 'police-catalogue-'));
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return loadServiceConfig(PoliceConfig, { POLICE_CATALOGUE_FILE: path });
  };
  const valid = JSON.parse(readFileSync('config/police.json', 'utf8')) as {
    severities: { code: string; escalation: { raiseTo?: string } }[];
  };

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads config/police.json when POLICE_CATALOGUE_FILE is unset', () => {
    const catalogue = PoliceCatalogue.load(loadServiceConfig(PoliceConfig, {}));
    expect(catalogue.file.severities.length).toBeGreaterThan(0);
  });

  it('refuses a file that is not JSON, naming the variable', () => {
    expect(() => PoliceCatalogue.load(file('broken.json', '{'))).toThrow(ConfigError);
    expect(() => PoliceCatalogue.load(file('broken.json', '{'))).toThrow(/^POLICE_CATALOGUE_FILE .*broken\.json: /);
  });

  it('names each bad field', () => {
    expect(() => PoliceCatalogue.load(file('no-zones.json', { ...valid, zones: [] }))).toThrow(
      /^POLICE_CATALOGUE_FILE .*no-zones\.json: zones: /,
    );
  });

  it('refuses an escalation to a severity it does not define', () => {
    const severities = valid.severities.map((s, i) => (i === 0 ? { ...s, escalation: { raiseTo: 'P99' } } : s));
    expect(() => PoliceCatalogue.load(file('unknown-target.json', { ...valid, severities }))).toThrow(
      /^POLICE_CATALOGUE_FILE .*unknown-target\.json: severity \S+ escalates to unknown severity P99$/,
    );
  });
});
