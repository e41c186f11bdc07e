import { createHash, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalSigningInput, EventSigner, EventVerifier, SignedFields } from './signature';

const configDir = join(__dirname, '..', '..', '..', '..', 'config');

function devPrivateKey(region: string): string {
  return readFileSync(join(configDir, 'dev-keys', `${region}.ed25519`), 'utf8').trim();
}

const registry = JSON.parse(readFileSync(join(configDir, 'regions.json'), 'utf8')) as {
  regions: { name: string; publicKey: string }[];
};
const publicKeys = new Map<string, KeyObject>(
  registry.regions.map((region) => [
    region.name,
    createPublicKey({ key: Buffer.from(region.publicKey, 'base64'), format: 'der', type: 'spki' }),
  ]),
);

function publicKeyFor(region: string): KeyObject {
  const key = publicKeys.get(region);
  if (!key) throw new Error(`Unknown region ${region}`);
  return key;
}

const fields: SignedFields = {
  id: '0b8f3c1e-2d4a-4f6b-9c8d-7e6f5a4b3c2d',
  type: 'cn.shuanglai.talent.certified.v1',
  source: '/regions/laixi/hr-bureau',
  region: 'laixi',
  subject: 'p1.teQkogJ6Tsf4I6mD7miJ44FodAV4XZkCDKU6EGMRVmk',
  time: '2025-03-14T08:30:00.000Z',
  seq: '42',
  target: 'laiyang',
  data: Buffer.from('{"level":"senior","certifiedOn":"2025-03-14"}', 'utf8'),
};

describe(canonicalSigningInput.name, () => {
  it('does lay out the scheme, the attributes and the SHA-256 of the data as a JSON array', () => {
    const dataHash = createHash('sha256').update(fields.data).digest('hex');
    expect(JSON.parse(canonicalSigningInput(fields).toString('utf8'))).toEqual([
      'shuanglai.sig.v2',
      fields.id,
      fields.type,
      fields.source,
      fields.region,
      fields.subject,
      fields.time,
      fields.seq,
      fields.target,
      dataHash,
    ]);
  });

  it('does keep field boundaries apart', () => {
    const shifted = { ...fields, type: `${fields.type}/regions`, source: '/laixi/hr-bureau' };
    expect(canonicalSigningInput(shifted).equals(canonicalSigningInput(fields))).toBe(false);
  });
});

describe(EventSigner.name, () => {
  it('does refuse a key that is not Ed25519 PKCS#8', () => {
    expect(() => new EventSigner('bm90IGEga2V5')).toThrow();
  });

  it('does sign deterministically, as Ed25519 does', () => {
    const signer = new EventSigner(devPrivateKey('laixi'));
    expect(signer.sign(fields)).toBe(signer.sign(fields));
  });
});

describe(EventVerifier.name, () => {
  const laixi = new EventSigner(devPrivateKey('laixi'));
  const laiyang = new EventSigner(devPrivateKey('laiyang'));
  const verifier = new EventVerifier(publicKeyFor);

  it('does verify a round trip with each dev key', () => {
    expect(verifier.verify(fields, laixi.sign(fields))).toBe(true);
    const fromLaiyang = { ...fields, region: 'laiyang', source: '/regions/laiyang/his' };
    expect(verifier.verify(fromLaiyang, laiyang.sign(fromLaiyang))).toBe(true);
  });

  it.each(['id', 'type', 'source', 'region', 'subject', 'time', 'seq', 'target'] as const)(
    'does reject the event when %s is tampered with',
    (name) => {
      const signature = laixi.sign(fields);
      // `region` tampered to a known region makes the verifier pick that region's key, which must fail too.
      const tampered = { ...fields, [name]: name === 'region' ? 'laiyang' : `${fields[name]}x` };
      expect(verifier.verify(tampered, signature)).toBe(false);
    },
  );

  it('does reject the event when one byte of data changes', () => {
    const signature = laixi.sign(fields);
    const data = Buffer.from(fields.data);
    data[data.length - 2] ^= 0x01;
    expect(verifier.verify({ ...fields, data }, signature)).toBe(false);
  });

  it("does reject a signature by the other region's key", () => {
    expect(verifier.verify(fields, laiyang.sign(fields))).toBe(false);
  });

  it('does return false for garbage signatures instead of throwing', () => {
    const signature = laixi.sign(fields);
    for (const garbage of [
      '',
      'not base64 at all!',
      'AAAA',
      'A'.repeat(88),
      signature.slice(0, -4),
      `${signature}AAAA`,
    ]) {
      expect(verifier.verify(fields, garbage)).toBe(false);
    }
  });

  it('does return false for a valid signature hidden in a non-canonical encoding', () => {
    const signature = laixi.sign(fields);
    expect(verifier.verify(fields, `${signature}!`)).toBe(false);
    expect(verifier.verify(fields, ` ${signature}`)).toBe(false);
  });

  it('does return false when the registry answers a key of another type', () => {
    const { publicKey } = generateKeyPairSync('x25519');
    expect(new EventVerifier(() => publicKey).verify(fields, laixi.sign(fields))).toBe(false);
  });

  it('does verify 1,000 distinct signed events', () => {
    const events = Array.from({ length: 1000 }, (_, i) => {
      const event = { ...fields, id: `event-${i}`, seq: String(i), data: Buffer.from(`{"n":${i}}`) };
      return { event, signature: laixi.sign(event) };
    });
    const verified = events.filter(({ event, signature }) => verifier.verify(event, signature));
    expect(verified).toHaveLength(1000);
  });
});
