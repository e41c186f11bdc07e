import { join } from 'node:path';
import { repoRoot } from '@app/embedded';
import { RegionRegistry, RegionRegistryError } from './region-registry';

const three = () => RegionRegistry.fromFile(join(repoRoot(), 'config', 'regions.three.json'));

describe(RegionRegistry.name, () => {
  it('adds a third region by configuration alone, with its ports and peers', () => {
    const registry = three();
    expect(registry.names).toEqual(['laixi', 'laiyang', 'jimo']);
    expect(registry.port('jimo', 'talent')).toBe(3303);
    expect(registry.peersOf('laixi').map((region) => region.name)).toEqual(['laiyang', 'jimo']);
  });

  it('finds the home region of a resident ID by its area code', () => {
    const registry = three();
    expect(registry.homeOfResident('370682198710126394')?.name).toBe('laiyang');
    expect(registry.homeOfResident('110101199003071234')).toBeUndefined();
  });

  it('parses each public key once into an Ed25519 KeyObject', () => {
    const registry = three();
    const key = registry.publicKey('laixi');
    expect(key.asymmetricKeyType).toBe('ed25519');
    expect(registry.publicKey('laixi')).toBe(key);
  });

  it('refuses duplicate names and indexes and says which field is wrong', () => {
    const region = { name: 'laixi', index: 1, label: 'x', areaCodes: ['370285'], publicKey: 'AAAA' };
    expect(() => RegionRegistry.fromJSON({ regions: [region, region] })).toThrow(/region names must be unique/);
    expect(() => RegionRegistry.fromJSON({ regions: [{ ...region, areaCodes: ['37'] }] })).toThrow(
      /regions\.0\.areaCodes/,
    );
  });

  it('answers an unknown region with the known ones', () => {
    expect(() => three().get('yantai')).toThrow(RegionRegistryError);
    expect(() => three().get('yantai')).toThrow(/known: laixi, laiyang, jimo/);
  });
});
