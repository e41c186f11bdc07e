import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEARTBEAT_V1, PROBE_V1, RegionRegistry } from '@app/contracts';
import { repoRoot } from '@app/embedded';
import { buildEnvelope, eventSource, sign } from '../envelope';
import { EventSigner } from '../trust';
import { IncomingMessage, InboundVerifier } from './event-verifier';

const registry = RegionRegistry.fromFile(join(repoRoot(), 'config', 'regions.json'));
const signer = (region: string) =>
  new EventSigner(readFileSync(join(repoRoot(), 'config', 'dev-keys', `${region}.ed25519`), 'utf8').trim());

function message(
  overrides: {
    region?: string;
    signedBy?: string;
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
  return {
    topic: overrides.topic ?? 'laixi.talent',
    partition: 0,
    offset: '42',
    key: Buffer.from('probe/s'),
    value: Buffer.from(payload),
    headers: { ...headers, ce_seq: seq, ce_sig: sign(signer(overrides.signedBy ?? region), headers, payload, seq) },
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
    ['a forged signature', message({ signedBy: 'laiyang' }), 'BUS.BAD_SIGNATURE', false],
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
