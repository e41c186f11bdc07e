import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { AppConfig, ConfigError } from '@app/config';
import { RegionRegistry } from '@app/contracts';
import { AffairsConfig } from '../affairs.config';
import { RegionEncryption } from './region-encryption';

const ROOT = join(__dirname, '..', '..', '..', '..');
const registry = RegionRegistry.fromFile(join(ROOT, 'config', 'regions.json'));
const config = (region: string, environment = 'development') => ({ region, registry, environment }) as AppConfig;

describe(RegionEncryption.name, () => {
  it("takes the development key of the region and seals to the peer's registry key", () => {
    const laixi = RegionEncryption.load(config('laixi'), new AffairsConfig(), ROOT);
    const laiyang = RegionEncryption.load(config('laiyang'), new AffairsConfig(), ROOT);
    const box = laixi.sealFor('laiyang', Buffer.from('370285199001011237'), 'case/laiyang');
    expect(laiyang.open(box, 'case/laiyang').toString()).toBe('370285199001011237');
    expect(() => laixi.open(box, 'case/laiyang')).toThrow();
  });

  it("refuses a key that is not the registry's, and a missing key in production", () => {
    const stranger = generateKeyPairSync('x25519')
      .privateKey.export({ format: 'der', type: 'pkcs8' })
      .toString('base64');
    const affairs = Object.assign(new AffairsConfig(), { REGION_ENCRYPTION_KEY: stranger });
    expect(() => RegionEncryption.load(config('laixi'), affairs, ROOT)).toThrow(
      new ConfigError("REGION_ENCRYPTION_KEY is not the key the registry lists as laixi's encryptionKey"),
    );
    expect(() => RegionEncryption.load(config('laixi', 'production'), new AffairsConfig(), ROOT)).toThrow(
      /REGION_ENCRYPTION_KEY is required in production/,
    );
    const both = Object.assign(new AffairsConfig(), {
      REGION_ENCRYPTION_KEY: stranger,
      REGION_ENCRYPTION_KEY_FILE: 'x',
    });
    expect(() => RegionEncryption.load(config('laixi'), both, ROOT)).toThrow(/not both/);
  });
});
