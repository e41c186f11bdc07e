import { createPrivateKey, generateKeyPairSync, randomUUID, sign as cryptoSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEARTBEAT_V1, PROBE_V1, RegionRegistry } from '@app/contracts';
import { repoRoot } from '@app/embedded';
import { buildEnvelope, eventSource, sign, signedFields } from '../envelope';
import { EventSigner, canonicalSigningInput } from '../trust';
import { IncomingMessage, InboundVerifier } from './event-verifier';

const registry = RegionRegistry.fromFile(join(repoRoot(), 'config', 'regions.json'));
const signer = (region: string) =>
  new EventSigner(readFileSync(join(repoRoot(), 'config', 'dev-keys', `${region}.ed25519`), 'utf8').trim());
const stranger = new EventSigner(
  generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
);

function message(
  overrides: {
    region?: string;
    signedBy?: string | EventSigner;
    /** The kid the signature names, when a forger names another key than the one it signed with. */
    kid?: string;
    key?: string | null;
    type?: string;
    data?: unknown;
    seq?: string;
    topic?: string;
    target?: string;
  } = {},
): IncomingMessage {
  const region = overrides.region ?? 'laixi';
  const seq = overrides.seq ?? '7';
  const { headers, payload } = buildEnvelope({
    id: randomUUID(),
    type: overrides.type ?? PROBE_V1,
    source: eventSource(region, 'talent'),
    region,
    subject: 'probe/s',
    data: overrides.data ?? { probeId: randomUUID(), stream: 's', n: 1 },
    extensions: { target: overrides.target },
  });
  const by = overrides.signedBy instanceof EventSigner ? overrides.signedBy : signer(overrides.signedBy ?? region);
  const sig = sign(by, headers, payload, seq);
  const key = overrides.key === undefined ? 'probe/s' : overrides.key;
  return {
    topic: overrides.topic ?? 'laixi.talent',
    partition: 0,
    offset: '42',
    key: key === null ? null : Buffer.from(key),
    value: Buffer.from(payload),
    headers: { ...headers, ce_seq: seq, ce_sig: overrides.kid ? sig.replace(by.kid, overrides.kid) : sig },
  };
}

describe(InboundVerifier.name, () => {
  const verifier = new InboundVerifier(registry, 'laiyang', 'talent');

  it('admits a signed event of a known type from the owner of the topic, with its payload as a class instance', async () => {
    const verdict = await verifier.verify(message());
    expect(verdict.ok).toBe(true);
    if (verdict.ok) {
      expect(verdict.event).toMatchObject({ origin: 'laixi', seq: '7', ephemeral: false });
      expect(verdict.event.payload.constructor.name).toBe('ProbeV1');
    }
  });

  it('admits an ephemeral heartbeat without a sequence number', async () => {
    const verdict = await verifier.verify(
      message({
        type: HEARTBEAT_V1,
        seq: '',
        data: { service: 'talent', instance: 'i', startedAt: '2026-01-01T00:00:00Z' },
      }),
    );
    expect(verdict).toMatchObject({ ok: true, event: { ephemeral: true } });
  });

  it.each([
    [
      "a forged signature naming the origin's key",
      message({ signedBy: 'laiyang', kid: signer('laixi').kid }),
      'BUS.BAD_SIGNATURE',
      false,
    ],
    ["a signature by another region's key", message({ signedBy: 'laiyang' }), 'BUS.UNKNOWN_SIGNING_KEY', false],
    [
      'a signature by a key the registry does not list',
      message({ signedBy: stranger }),
      'BUS.UNKNOWN_SIGNING_KEY',
      false,
    ],
    ['a Kafka key other than the signed subject', message({ key: 'probe/other' }), 'BUS.KEY_MISMATCH', true],
    ['a message without a Kafka key', message({ key: null }), 'BUS.KEY_MISMATCH', true],
    ['another region on this topic', message({ region: 'laiyang' }), 'BUS.WRONG_REGION', false],
    ['an unknown type', message({ type: 'cn.shuanglai.talent.teleported.v1' }), 'BUS.UNKNOWN_TYPE', true],
    ['an invalid payload', message({ data: { probeId: 'x', stream: 's', n: 0 } }), 'BUS.INVALID_PAYLOAD', true],
    ['a missing sequence number', message({ seq: '' }), 'BUS.INVALID_ENVELOPE', false],
    [
      'a type of another domain',
      message({ type: 'cn.shuanglai.health.record.published.v1' }),
      'BUS.UNKNOWN_TYPE',
      true,
    ],
  ])('rejects %s', async (_, incoming, code, signed) => {
    await expect(verifier.verify(incoming)).resolves.toMatchObject({ ok: false, signed, error: { code } });
  });

  it('admits a directed event on the topic directed to this region', async () => {
    const verdict = await verifier.verify(message({ target: 'laiyang', topic: 'laixi.talent.laiyang' }));
    expect(verdict).toMatchObject({ ok: true, event: { origin: 'laixi' } });
  });

  it('admits health events in a service that reads the health domain, from its own region too', async () => {
    const lab = new InboundVerifier(registry, 'laixi', 'lab-results');
    const fromHealth = message({ topic: 'laixi.health.laixi', target: 'laixi' });
    await expect(lab.verify(fromHealth)).resolves.toMatchObject({ ok: true });
    await expect(verifier.verify({ ...fromHealth, topic: 'laixi.health' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'BUS.WRONG_TOPIC' },
    });
  });

  it.each([
    ['a broadcast event on a directed topic', message({ topic: 'laixi.talent.laiyang' })],
    ['a directed event on the broadcast topic', message({ target: 'laiyang' })],
    ['an event for another region on its directed topic', message({ target: 'jimo', topic: 'laixi.talent.jimo' })],
    ['an event whose target disagrees with its topic', message({ target: 'jimo', topic: 'laixi.talent.laiyang' })],
  ])('rejects %s', async (_, incoming) => {
    await expect(verifier.verify(incoming)).resolves.toMatchObject({
      ok: false,
      signed: true,
      error: { code: 'BUS.WRONG_TOPIC' },
    });
  });

  it('dead-letters an event whose Kafka key was changed after signing (regression: the key was never checked)', async () => {
    const moved = message();
    moved.key = Buffer.from('probe/elsewhere');
    await expect(verifier.verify(moved)).resolves.toMatchObject({
      ok: false,
      signed: true,
      id: moved.headers!.ce_id,
      error: { code: 'BUS.KEY_MISMATCH', message: "Kafka key 'probe/elsewhere' is not the signed subject" },
    });
  });

  it("rejects an event whose time is outside its key's window, and one whose id or time is malformed", async () => {
    const early = message();
    early.headers = { ...early.headers, ce_time: '2024-12-31T23:59:59.000Z' };
    const headers = early.headers as Record<string, string>;
    const value = early.value!.toString();
    early.headers = { ...headers, ce_sig: sign(signer('laixi'), headers, value, headers.ce_seq) };
    await expect(verifier.verify(early)).resolves.toMatchObject({
      ok: false,
      signed: false,
      error: { code: 'BUS.SIGNING_KEY_OUT_OF_WINDOW' },
    });
    const unnamed = message();
    unnamed.headers = { ...unnamed.headers, ce_id: 'x'.repeat(257) };
    await expect(verifier.verify(unnamed)).resolves.toMatchObject({
      ok: false,
      error: { code: 'BUS.INVALID_ENVELOPE' },
    });
    const timeless = message();
    timeless.headers = { ...timeless.headers, ce_time: 'yesterday' };
    await expect(verifier.verify(timeless)).resolves.toMatchObject({
      ok: false,
      error: { code: 'BUS.INVALID_ENVELOPE' },
    });
  });

  it('admits an event signed the v2 way (no kid) while v2 events may still be on the topics', async () => {
    const legacy = message();
    const headers = legacy.headers as Record<string, string>;
    const fields = signedFields(headers, legacy.value!.toString(), headers.ce_seq);
    const privateKey = createPrivateKey({
      key: Buffer.from(readFileSync(join(repoRoot(), 'config', 'dev-keys', 'laixi.ed25519'), 'utf8').trim(), 'base64'),
      format: 'der',
      type: 'pkcs8',
    });
    legacy.headers = {
      ...headers,
      ce_sig: cryptoSign(null, canonicalSigningInput(fields, null), privateKey).toString('base64'),
    };
    await expect(verifier.verify(legacy)).resolves.toMatchObject({ ok: true });
  });

  it('rejects a target altered after signing', async () => {
    const incoming = message({ target: 'jimo', topic: 'laixi.talent.laiyang' });
    incoming.headers = { ...incoming.headers, ce_target: 'laiyang' };
    await expect(verifier.verify(incoming)).resolves.toMatchObject({ ok: false, error: { code: 'BUS.BAD_SIGNATURE' } });
  });

  it('rejects a region that is not in the registry', async () => {
    const incoming = { ...message(), topic: 'yantai.talent' };
    incoming.headers = { ...incoming.headers, ce_region: 'yantai', ce_source: '/regions/yantai/talent' };
    await expect(verifier.verify(incoming)).resolves.toMatchObject({
      ok: false,
      error: { code: 'BUS.UNKNOWN_REGION' },
    });
  });

  it('rejects malformed JSON and a payload altered after signing', async () => {
    await expect(verifier.verify({ ...message(), value: Buffer.from('{"probeId": ') })).resolves.toMatchObject({
      ok: false,
      error: { code: 'BUS.MALFORMED' },
    });
    const altered = message();
    altered.value = Buffer.from(altered.value!.toString().replace('"n":1', '"n":2'));
    await expect(verifier.verify(altered)).resolves.toMatchObject({ ok: false, error: { code: 'BUS.BAD_SIGNATURE' } });
  });
});
