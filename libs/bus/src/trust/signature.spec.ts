import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RegionKey, RegionRegistry, signingKeyId } from '@app/contracts';
import { repoRoot } from '@app/embedded';
import { canonicalSigningInput, EventSigner, EventVerifier, SignedFields } from './signature';

const devPrivateKey = (region: string) =>
  readFileSync(join(repoRoot(), 'config', 'dev-keys', `${region}.ed25519`), 'utf8').trim();
const registry = RegionRegistry.fromFile(join(repoRoot(), 'config', 'regions.json'));

function newPrivateKey(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
}

function regionKey(privateKey: string, notBefore: string, notAfter?: string): RegionKey {
  const publicKey = createPublicKey(
    createPrivateKey({ key: Buffer.from(privateKey, 'base64'), format: 'der', type: 'pkcs8' }),
  );
  return {
    kid: signingKeyId(publicKey),
    publicKey,
    notBefore: new Date(notBefore),
    notAfter: notAfter === undefined ? null : new Date(notAfter),
  };
}

/** Signs the v2 way (no kid), as publishers did before keys had ids. */
function signV2(privateKey: string, fields: SignedFields): string {
  const key = createPrivateKey({ key: Buffer.from(privateKey, 'base64'), format: 'der', type: 'pkcs8' });
  return sign(null, canonicalSigningInput(fields, null), key).toString('base64');
}

const fields: SignedFields = {
  id: '0b8f3c1e-2d4a-4f6b-9c8d-7e6f5a4b3c2d',
  type: 'cn.shuanglai.talent.certified.v1',
  source: '/regions/laixi/hr-bureau',
  region: 'laixi',
  subject: 'p1.teQkogJ6Tsf4I6mD7miJ44FodAV4XZkCDKU6EGMRVmk',
  time: '2026-03-14T08:30:00.000Z',
  seq: '42',
  target: 'laiyang',
  data: Buffer.from('{"level":"senior","certifiedOn":"2026-03-14"}', 'utf8'),
};

describe(canonicalSigningInput.name, () => {
  const dataHash = createHash('sha256').update(fields.data).digest('hex');
  const attributes = [
    fields.id,
    fields.type,
    fields.source,
    fields.region,
    fields.subject,
    fields.time,
    fields.seq,
    fields.target,
    dataHash,
  ];

  it('does lay out the scheme, the kid, the attributes and the SHA-256 of the data as a JSON array (v3)', () => {
    expect(JSON.parse(canonicalSigningInput(fields, 'kid-1').toString('utf8'))).toEqual([
      'shuanglai.sig.v3',
      'kid-1',
      ...attributes,
    ]);
  });

  it('does lay out the v2 form, without a kid, for events signed before keys had ids', () => {
    expect(JSON.parse(canonicalSigningInput(fields, null).toString('utf8'))).toEqual([
      'shuanglai.sig.v2',
      ...attributes,
    ]);
  });

  it('does keep field boundaries apart', () => {
    const shifted = { ...fields, type: `${fields.type}/regions`, source: '/laixi/hr-bureau' };
    expect(canonicalSigningInput(shifted, 'k').equals(canonicalSigningInput(fields, 'k'))).toBe(false);
  });
});

describe(EventSigner.name, () => {
  it('does refuse a key that is not Ed25519 PKCS#8', () => {
    expect(() => new EventSigner('bm90IGEga2V5')).toThrow();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    expect(() => new EventSigner(rsa.export({ format: 'der', type: 'pkcs8' }).toString('base64'))).toThrow(/Ed25519/);
  });

  it("does name its key by the key's thumbprint, the kid the registry lists", () => {
    const signer = new EventSigner(devPrivateKey('laixi'));
    expect(signer.kid).toBe(registry.keys('laixi')[0].kid);
    expect(signer.sign(fields)).toMatch(new RegExp(`^${signer.kid}\\.[A-Za-z0-9+/]{86}==$`));
  });

  it('does sign deterministically, as Ed25519 does, the same on the thread pool', async () => {
    const signer = new EventSigner(devPrivateKey('laixi'));
    expect(signer.sign(fields)).toBe(signer.sign(fields));
    await expect(signer.signAsync(fields)).resolves.toBe(signer.sign(fields));
  });
});

describe(EventVerifier.name, () => {
  const laixi = new EventSigner(devPrivateKey('laixi'));
  const laiyang = new EventSigner(devPrivateKey('laiyang'));
  const verifier = new EventVerifier((region) => registry.keys(region));
  const codeOf = async (check: Promise<{ ok: boolean; error?: { code: string } }>) => {
    const result = await check;
    return result.ok ? 'ok' : result.error!.code;
  };

  it('does verify a round trip with each dev key and answers the kid that verified', async () => {
    await expect(verifier.verify(fields, laixi.sign(fields))).resolves.toEqual({ ok: true, kid: laixi.kid });
    const fromLaiyang = { ...fields, region: 'laiyang', source: '/regions/laiyang/his' };
    await expect(verifier.verify(fromLaiyang, laiyang.sign(fromLaiyang))).resolves.toEqual({
      ok: true,
      kid: laiyang.kid,
    });
  });

  it.each(['id', 'type', 'source', 'subject', 'time', 'seq', 'target'] as const)(
    'does reject the event when %s is tampered with',
    async (name) => {
      const signature = laixi.sign(fields);
      const tampered = { ...fields, [name]: name === 'time' ? '2026-03-14T08:30:01.000Z' : `${fields[name]}x` };
      await expect(codeOf(verifier.verify(tampered, signature))).resolves.toBe('BUS.BAD_SIGNATURE');
    },
  );

  it('does reject the event when one byte of data changes', async () => {
    const signature = laixi.sign(fields);
    const data = Buffer.from(fields.data);
    data[data.length - 2] ^= 0x01;
    await expect(codeOf(verifier.verify({ ...fields, data }, signature))).resolves.toBe('BUS.BAD_SIGNATURE');
  });

  it("does reject a signature by another region's key: its kid is not one of the origin's", async () => {
    await expect(codeOf(verifier.verify(fields, laiyang.sign(fields)))).resolves.toBe('BUS.UNKNOWN_SIGNING_KEY');
    // Claiming the other region as origin makes the verifier pick that region's keys, which must fail too.
    const claimed = { ...fields, region: 'laiyang' };
    await expect(codeOf(verifier.verify(claimed, laixi.sign(fields)))).resolves.toBe('BUS.UNKNOWN_SIGNING_KEY');
  });

  it('does dead-letter a kid that the registry does not list with its own code', async () => {
    const stranger = new EventSigner(newPrivateKey());
    const check = await verifier.verify(fields, stranger.sign(fields));
    expect(check).toMatchObject({
      ok: false,
      error: { code: 'BUS.UNKNOWN_SIGNING_KEY', message: `laixi has no key ${stranger.kid} in the region registry` },
    });
  });

  describe('across a rotation', () => {
    const oldKey = newPrivateKey();
    const newKey = newPrivateKey();
    const keys = [
      regionKey(oldKey, '2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z'),
      regionKey(newKey, '2026-05-01T00:00:00Z'),
    ];
    const rotated = new EventVerifier(() => keys);
    const at = (time: string) => ({ ...fields, time });

    it('does pick the key by kid, each inside its window', async () => {
      const old = new EventSigner(oldKey);
      const current = new EventSigner(newKey);
      for (const time of ['2026-01-01T00:00:00Z', '2026-05-31T23:59:59.999Z']) {
        await expect(rotated.verify(at(time), old.sign(at(time)))).resolves.toEqual({ ok: true, kid: old.kid });
      }
      for (const time of ['2026-05-01T00:00:00Z', '2030-01-01T00:00:00Z']) {
        await expect(rotated.verify(at(time), current.sign(at(time)))).resolves.toEqual({
          ok: true,
          kid: current.kid,
        });
      }
    });

    it("does reject an event whose signed time is outside its key's window, notAfter excluded", async () => {
      const old = new EventSigner(oldKey);
      const current = new EventSigner(newKey);
      for (const [signer, time] of [
        [old, '2026-06-01T00:00:00Z'],
        [old, '2025-12-31T23:59:59.999Z'],
        [current, '2026-04-30T23:59:59Z'],
      ] as const) {
        await expect(codeOf(rotated.verify(at(time), signer.sign(at(time))))).resolves.toBe(
          'BUS.SIGNING_KEY_OUT_OF_WINDOW',
        );
      }
    });

    it('does reject a signature moved under another kid of the same region: the kid is signed', async () => {
      const old = new EventSigner(oldKey);
      const current = new EventSigner(newKey);
      const time = '2026-05-15T00:00:00Z';
      const relabelled = old.sign(at(time)).replace(old.kid, current.kid);
      await expect(codeOf(rotated.verify(at(time), relabelled))).resolves.toBe('BUS.BAD_SIGNATURE');
    });

    it("does verify a v2 signature (no kid) with the region's keys in force at its time", async () => {
      await expect(
        rotated.verify(at('2026-02-01T00:00:00Z'), signV2(oldKey, at('2026-02-01T00:00:00Z'))),
      ).resolves.toEqual({ ok: true, kid: keys[0].kid });
      await expect(
        rotated.verify(at('2026-05-15T00:00:00Z'), signV2(newKey, at('2026-05-15T00:00:00Z'))),
      ).resolves.toEqual({ ok: true, kid: keys[1].kid });
      const late = at('2026-07-01T00:00:00Z');
      await expect(codeOf(rotated.verify(late, signV2(oldKey, late)))).resolves.toBe('BUS.BAD_SIGNATURE');
      const early = at('2025-07-01T00:00:00Z');
      await expect(codeOf(rotated.verify(early, signV2(oldKey, early)))).resolves.toBe('BUS.SIGNING_KEY_OUT_OF_WINDOW');
    });
  });

  it('does fail garbage signatures instead of throwing', async () => {
    const signature = laixi.sign(fields);
    const bare = signature.slice(laixi.kid.length + 1);
    for (const garbage of [
      '',
      'not base64 at all!',
      'AAAA',
      'A'.repeat(88),
      `${laixi.kid}.`,
      `${laixi.kid}.${'A'.repeat(86)}==`,
      `${laixi.kid}.${bare.slice(0, -4)}`,
      `${signature}AAAA`,
      `${laixi.kid}..${bare}`,
      `.${bare}`,
    ]) {
      await expect(codeOf(verifier.verify(fields, garbage))).resolves.toBe('BUS.BAD_SIGNATURE');
    }
  });

  it('does fail a valid signature hidden in a non-canonical encoding', async () => {
    const signature = laixi.sign(fields);
    // The last character before '==' carries 2 bits and 4 zero bits: its successor decodes to the same bytes.
    const last = signature.at(-3)!;
    const unpadded = `${signature.slice(0, -3)}${String.fromCharCode(last.charCodeAt(0) + 1)}==`;
    for (const variant of [`${signature}!`, ` ${signature}`, unpadded]) {
      await expect(codeOf(verifier.verify(fields, variant))).resolves.toBe('BUS.BAD_SIGNATURE');
    }
  });

  it('does fail when the registry answers a key of another type', async () => {
    const { publicKey } = generateKeyPairSync('x25519');
    const odd = new EventVerifier(() => [{ ...registry.keys('laixi')[0], publicKey }]);
    await expect(codeOf(odd.verify(fields, laixi.sign(fields)))).resolves.toBe('BUS.BAD_SIGNATURE');
  });

  it('does verify 1,000 distinct signed events', async () => {
    const events = Array.from({ length: 1000 }, (_, i) => {
      const event = { ...fields, id: `event-${i}`, seq: String(i), data: Buffer.from(`{"n":${i}}`) };
      return { event, signature: laixi.sign(event) };
    });
    const checks = await Promise.all(events.map(({ event, signature }) => verifier.verify(event, signature)));
    expect(checks.filter((check) => check.ok)).toHaveLength(1000);
  });
});
