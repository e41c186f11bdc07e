import { createHash, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RegionRegistry, signingKeyId } from '@app/contracts';
import { repoRoot } from '@app/embedded';
import { signedFields } from '../envelope';
import { InboundVerifier } from '../inbox/event-verifier';
import { EventSigner, EventVerifier, canonicalSigningInput } from './signature';

interface TestKeyPair {
  testKeyPair: string;
  privateKeySeedHex: string;
  privateKeyPkcs8Base64: string;
  publicKeyHex: string;
  publicKeySpkiBase64: string;
  thumbprintInput: string;
  kid: string;
}

interface Vector {
  vector: string;
  scheme: 'v2' | 'v3';
  topic: string;
  key: string;
  headers: Record<string, string>;
  value: string;
  valueSha256: string;
  canonical: string;
  canonicalBase64: string;
}

/** The `json` blocks of docs/protocol.md's test vectors section: the document is what is checked. */
function documentedBlocks(): unknown[] {
  const document = readFileSync(join(repoRoot(), 'docs', 'protocol.md'), 'utf8');
  const section = document.slice(document.indexOf('## 10. Test vectors'));
  return [...section.matchAll(/```json\n([\s\S]*?)\n```/g)].map((match) => JSON.parse(match[1]) as unknown);
}

const blocks = documentedBlocks();
const keyPair = blocks.find((block): block is TestKeyPair => (block as TestKeyPair).testKeyPair !== undefined)!;
const vectors = blocks.filter((block): block is Vector => (block as Vector).vector !== undefined);

describe('docs/protocol.md test vectors', () => {
  it('lists the key pair and a vector of each kind', () => {
    expect(keyPair).toBeDefined();
    expect(vectors.map((vector) => vector.vector)).toEqual([
      'broadcast',
      'directed',
      'escaping',
      'heartbeat',
      'legacy-v2',
    ]);
  });

  it("derives the key pair and its kid (RFC 8037's thumbprint) as documented", () => {
    const privateKey = createPrivateKey({
      key: Buffer.from(keyPair.privateKeyPkcs8Base64, 'base64'),
      format: 'der',
      type: 'pkcs8',
    });
    expect(privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32).toString('hex')).toBe(
      keyPair.privateKeySeedHex,
    );
    const publicKey = createPublicKey(privateKey);
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    expect(spki.toString('base64')).toBe(keyPair.publicKeySpkiBase64);
    expect(spki.subarray(-32).toString('hex')).toBe(keyPair.publicKeyHex);
    const { crv, x } = publicKey.export({ format: 'jwk' });
    expect(keyPair.thumbprintInput).toBe(`{"crv":"${crv}","kty":"OKP","x":"${x}"}`);
    expect(createHash('sha256').update(keyPair.thumbprintInput).digest('base64url')).toBe(keyPair.kid);
    expect(signingKeyId(publicKey)).toBe(keyPair.kid);
    expect(new EventSigner(keyPair.privateKeyPkcs8Base64).kid).toBe(keyPair.kid);
  });

  describe.each(vectors.map((vector) => [vector.vector, vector] as const))('%s', (_, vector) => {
    const fields = signedFields(vector.headers, vector.value, vector.headers.ce_seq ?? '');
    const kid = vector.scheme === 'v3' ? keyPair.kid : null;

    it("hashes the value's bytes and lays out the canonical input byte for byte", () => {
      expect(createHash('sha256').update(vector.value, 'utf8').digest('hex')).toBe(vector.valueSha256);
      const canonical = canonicalSigningInput(fields, kid);
      expect(canonical.toString('base64')).toBe(vector.canonicalBase64);
      expect(Buffer.from(vector.canonical, 'utf8').equals(canonical)).toBe(true);
    });

    it('signs to the documented ce_sig (Ed25519 is deterministic)', () => {
      const privateKey = createPrivateKey({
        key: Buffer.from(keyPair.privateKeyPkcs8Base64, 'base64'),
        format: 'der',
        type: 'pkcs8',
      });
      const expected =
        vector.scheme === 'v3'
          ? new EventSigner(keyPair.privateKeyPkcs8Base64).sign(fields)
          : sign(null, canonicalSigningInput(fields, null), privateKey).toString('base64');
      expect(vector.headers.ce_sig).toBe(expected);
    });

    it('passes every check of a consumer that holds the key', async () => {
      const laiyang = RegionRegistry.fromFile(join(repoRoot(), 'config', 'regions.json')).get('laiyang');
      const registry = RegionRegistry.fromJSON({
        regions: [
          {
            name: 'laixi',
            index: 1,
            label: 'test vectors',
            areaCodes: [],
            keys: [{ kid: keyPair.kid, publicKey: keyPair.publicKeySpkiBase64, notBefore: '2026-01-01T00:00:00Z' }],
          },
          { ...laiyang, keys: laiyang.keys.map((key) => ({ ...key })) },
        ],
      });
      await expect(
        new EventVerifier((region) => registry.keys(region)).verify(fields, vector.headers.ce_sig),
      ).resolves.toEqual({ ok: true, kid: keyPair.kid });
      const verdict = await new InboundVerifier(registry, 'laiyang', 'talent').verify({
        topic: vector.topic,
        partition: 0,
        offset: '0',
        key: Buffer.from(vector.key, 'utf8'),
        value: Buffer.from(vector.value, 'utf8'),
        headers: vector.headers,
      });
      expect(verdict.ok ? 'ok' : verdict.error.code).toBe('ok');
    });
  });
});
