import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { signingKeyId } from './key-id';
import { RegionRegistry, RegionRegistryError, keyInForce } from './region-registry';

// The contracts import nothing of ours (not even a helper to find the repository): the path is spelled out.
const repoRoot = join(__dirname, '..', '..', '..', '..');

const three = () => RegionRegistry.fromFile(join(repoRoot, 'config', 'regions.three.json'));

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

  it('parses each key once into an Ed25519 KeyObject with its window', () => {
    const registry = three();
    const [key] = registry.keys('laixi');
    expect(key.publicKey.asymmetricKeyType).toBe('ed25519');
    expect(key).toMatchObject({ notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: null });
    expect(registry.key('laixi', key.kid)).toBe(key);
    expect(registry.key('laiyang', key.kid)).toBeUndefined();
  });

  it('refuses duplicate names and indexes and says which field is wrong', () => {
    const region = { name: 'laixi', index: 1, label: 'x', areaCodes: ['370285'], keys: [newKey()] };
    expect(() => RegionRegistry.fromJSON({ regions: [region, region] })).toThrow(/region names must be unique/);
    expect(() => RegionRegistry.fromJSON({ regions: [{ ...region, areaCodes: ['37'] }] })).toThrow(
      /regions\.0\.areaCodes/,
    );
  });

  describe('keys', () => {
    const region = (keys: unknown[]) => ({ regions: [{ name: 'laixi', index: 1, label: 'x', areaCodes: [], keys }] });

    it('holds several keys per region, each with its window', () => {
      const [a, b] = [newKey({ notAfter: '2026-06-01T00:00:00+08:00' }), newKey({ notBefore: '2026-05-01T00:00:00Z' })];
      const keys = RegionRegistry.fromJSON(region([a, b])).keys('laixi');
      expect(keys.map((key) => key.kid)).toEqual([a.kid, b.kid]);
      expect(keys[0].notAfter).toEqual(new Date('2026-05-31T16:00:00Z'));
      expect(keyInForce(keys[0], new Date('2026-05-31T15:59:59.999Z'))).toBe(true);
      expect(keyInForce(keys[0], new Date('2026-05-31T16:00:00Z'))).toBe(false);
      expect(keyInForce(keys[1], new Date('2026-04-30T23:59:59.999Z'))).toBe(false);
      expect(keyInForce(keys[1], new Date('2099-01-01T00:00:00Z'))).toBe(true);
    });

    it.each([
      ['no key at all', [], /keys must contain at least 1 elements/],
      [
        'a kid that is not the thumbprint of the key',
        [{ ...newKey(), kid: newKey().kid }],
        /keys\.0\.kid: the key's RFC 7638 thumbprint is/,
      ],
      ['a key that is not SPKI', [{ ...newKey(), publicKey: 'AAAA' }], /keys\.0\.publicKey: not an SPKI public key/],
      ['a key that is not Ed25519', [x25519Key()], /keys\.0\.publicKey: must be Ed25519, not x25519/],
      [
        'a time without its offset',
        [newKey({ notBefore: '2026-01-01T00:00:00' })],
        /notBefore must be an RFC 3339 time/,
      ],
      [
        'an empty window',
        [newKey({ notBefore: '2026-02-01T00:00:00Z', notAfter: '2026-02-01T00:00:00Z' })],
        /keys\.0\.notAfter: must be later than notBefore/,
      ],
      [
        'the same key twice',
        (() => {
          const key = newKey();
          return [key, key];
        })(),
        /key ids must be unique/,
      ],
    ])('refuses %s, naming the field', (_, keys, message) => {
      expect(() => RegionRegistry.fromJSON(region(keys), 'r.json')).toThrow(message);
    });

    it('refuses one key in two regions', () => {
      const key = newKey();
      const regions = [
        { name: 'laixi', index: 1, label: 'x', areaCodes: [], keys: [key] },
        { name: 'laiyang', index: 2, label: 'y', areaCodes: [], keys: [key] },
      ];
      expect(() => RegionRegistry.fromJSON({ regions })).toThrow(
        `region registry is invalid: regions.1.keys.0: key ${key.kid} is already a key of laixi`,
      );
    });
  });

  it('answers an unknown region with the known ones', () => {
    expect(() => three().get('yantai')).toThrow(RegionRegistryError);
    expect(() => three().get('yantai')).toThrow(/known: laixi, laiyang, jimo/);
  });
});

function newKey(window: { notBefore?: string; notAfter?: string } = {}) {
  const { publicKey } = generateKeyPairSync('ed25519');
  return {
    kid: signingKeyId(publicKey),
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    notBefore: window.notBefore ?? '2026-01-01T00:00:00Z',
    ...(window.notAfter && { notAfter: window.notAfter }),
  };
}

function x25519Key() {
  const { publicKey } = generateKeyPairSync('x25519');
  return { ...newKey(), publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64') };
}
