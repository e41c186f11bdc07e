import { randomUUID } from 'node:crypto';
import { Socket, connect } from 'node:net';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { ALERT_ESCALATED_V1, ALERT_MAX_PERSONS, AlertStateV1 } from '@app/contracts';
import { signDevToken } from '@app/http';
import { Clock } from '@app/platform';
import { Pseudonymizer } from '@app/bus';
import { SseClient, TestService, eventually, expectReportedHome, startTestServices, testRegions } from '@app/testing';
import { PoliceAppModule } from '../src/app.module';
import { AlertRepository } from '../src/alerts/alert.repository';
import { EscalationScheduler } from '../src/escalation/escalation.scheduler';
import { FeedRepository } from '../src/feed/feed.repository';

const MINUTE = 60_000;

function unitToken(config: AppConfig, unit: string): string {
  return signDevToken({ role: 'police-unit', region: config.region, org: unit, sub: `officer:${unit}` }, config);
}

interface FeedEvent {
  seq: number;
  kind: string;
  origin: string;
  alert: AlertStateV1;
}

const parsed = (client: SseClient) => client.events.map((event) => JSON.parse(event.data) as FeedEvent);

describe('police service across Laixi and Laiyang', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  let services: Awaited<ReturnType<typeof startTestServices>>;
  let laixi: TestService;
  let laiyang: TestService;
  const streams: SseClient[] = [];
  const sockets: Socket[] = [];
  const tokens: Record<string, string> = {};

  const token = (service: TestService, unit: string) =>
    (tokens[`${service.config.region}/${unit}`] ??= unitToken(service.config, unit));
  const stream = async (service: TestService, unit: string, lastEventId?: string) => {
    const client = await new SseClient(`${service.url}/alerts/stream`, token(service, unit), lastEventId).open();
    streams.push(client);
    return client;
  };
  const raise = async (zone: string, overrides: Record<string, unknown> = {}) => {
    const response = await request(laixi.url)
      .post('/alerts')
      .set('Authorization', `Bearer ${token(laixi, 'laixi-command')}`)
      .send({
        area: 'public-order',
        severity: 'P3',
        location: { lat: 36.86, lon: 120.53, zone },
        description: 'Fight outside the market by the bridge, two groups',
        actionRequested: 'Send a patrol to the east bank',
        expiresAt: new Date(laixi.app.get(Clock).now().getTime() + 120 * MINUTE).toISOString(),
        ...overrides,
      });
    expect(response.status).toBe(201);
    return response.body as AlertStateV1;
  };
  const subscribe = async (unit: string, body: Record<string, unknown>) => {
    const response = await request(laiyang.url)
      .post('/subscriptions')
      .set('Authorization', `Bearer ${token(laiyang, unit)}`)
      .send(body);
    expect(response.status).toBe(201);
  };
  const detail = async (service: TestService, alertId: string, unit = 'laixi-command') => {
    const response = await request(service.url)
      .get(`/alerts/${alertId}`)
      .set('Authorization', `Bearer ${token(service, unit)}`);
    expect(response.status).toBe(200);
    return response.body as {
      alert: AlertStateV1;
      receipts: { region: string; unit: string }[];
      responses: { region: string; unit: string; status: string; reason?: string }[];
    };
  };

  beforeAll(async () => {
    services = await startTestServices({
      service: 'police',
      regions,
      appModule: (config) => PoliceAppModule.register(config),
    });
    laixi = services.laixi;
    laiyang = services.laiyang;
    // BZ-01 and BZ-02 belong to this suite's stream tests; escalation uses BZ-09 and BZ-10, which nobody watches.
    await subscribe('laiyang-patrol', { areas: ['public-order', 'joint-duty'], zones: ['BZ-01'] });
    await subscribe('laiyang-far', { zones: ['BZ-02'] });
    const now = laiyang.app.get(Clock).now().getTime();
    const roster = await request(laiyang.url)
      .post('/duty-roster')
      .set('Authorization', `Bearer ${token(laiyang, 'laiyang-command')}`)
      .send({
        shifts: [
          {
            unit: 'laiyang-joint-duty',
            zone: 'BZ-01',
            startsAt: new Date(now - MINUTE).toISOString(),
            endsAt: new Date(now + 600 * MINUTE).toISOString(),
          },
        ],
      });
    expect(roster.status).toBe(201);
  });

  afterAll(async () => {
    for (const client of streams) client.close();
    for (const socket of sockets) socket.destroy();
    await services?.close();
  });

  it('publishes the duty roster to both cities', async () => {
    const shifts = await eventually(async () => {
      const response = await request(laixi.url)
        .get('/duty-roster')
        .set('Authorization', `Bearer ${token(laixi, 'laixi-command')}`);
      return response.body.length > 0 ? (response.body as { region: string; unit: string; zone: string }[]) : undefined;
    });
    expect(shifts).toEqual([
      expect.objectContaining({ region: laiyang.config.region, unit: 'laiyang-joint-duty', zone: 'BZ-01' }),
    ]);
  });

  it('streams an alert raised in Laixi to the matching Laiyang units only, and replays the gap after a reconnect', async () => {
    const patrol = await stream(laiyang, 'laiyang-patrol');
    const onDuty = await stream(laiyang, 'laiyang-joint-duty');
    const far = await stream(laiyang, 'laiyang-far');
    expect([patrol.status, onDuty.status, far.status]).toEqual([200, 200, 200]);

    const first = await raise('BZ-01');
    await patrol.waitForCount(1);
    await onDuty.waitForCount(1);
    // The far unit's own alert arrives after the first one was fed: had the first reached it, it would come first.
    const marker = await raise('BZ-02');
    await far.waitForCount(1);
    expect(parsed(far).map((e) => e.alert.alertId)).toEqual([marker.alertId]);
    expect(parsed(patrol)).toEqual([
      { seq: expect.any(Number), kind: 'raised', origin: laixi.config.region, alert: first },
    ]);
    expect(patrol.events[0]).toMatchObject({ type: 'alert.raised', id: String(parsed(patrol)[0].seq) });
    expect(parsed(onDuty).map((e) => e.alert.alertId)).toEqual([first.alertId]);

    // The patrol drops; three matching alerts and one it does not match are raised while it is away.
    patrol.close();
    const lastSeen = patrol.lastId!;
    const missed = [await raise('BZ-01'), await raise('BZ-02'), await raise('BZ-01'), await raise('BZ-01')];
    await onDuty.waitForCount(4);
    const resumed = await stream(laiyang, 'laiyang-patrol', lastSeen);
    await resumed.waitForCount(3);
    const live = await raise('BZ-01', { area: 'joint-duty' });
    await resumed.waitForCount(4);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const replayed = parsed(resumed);
    // Each alert is its own key, so Laiyang may learn the missed ones in any order (its feed follows that order);
    // the live one was raised after they had all arrived.
    const ids = replayed.map((e) => e.alert.alertId);
    expect(ids.slice(0, 3).sort()).toEqual([missed[0].alertId, missed[2].alertId, missed[3].alertId].sort());
    expect(ids[3]).toBe(live.alertId);
    const seqs = replayed.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs[0]).toBeGreaterThan(Number(lastSeen));

    // Polling systems get the same events.
    const polled = await request(laiyang.url)
      .get(`/alerts?after=${lastSeen}`)
      .set('Authorization', `Bearer ${token(laiyang, 'laiyang-patrol')}`);
    expect(polled.status).toBe(200);
    expect(polled.body.items).toEqual(replayed);
    expect(polled.body.next).toBe(seqs.at(-1));
  });

  it("shows in Laixi who in Laiyang received an alert and each unit's acknowledgement", async () => {
    const patrol = await stream(laiyang, 'laiyang-patrol');
    const alert = await raise('BZ-01', { severity: 'P2' });
    await patrol.until(() => parsed(patrol).some((e) => e.alert.alertId === alert.alertId), 30_000, 'the alert');
    const respond = (status: string, reason?: string) =>
      request(laiyang.url)
        .post(`/alerts/${alert.alertId}/responses`)
        .set('Authorization', `Bearer ${token(laiyang, 'laiyang-patrol')}`)
        .send({ status, reason });

    expect((await respond('ACTION_TAKEN')).body.code).toBe('POLICE.RESPONSE_OUT_OF_ORDER');
    expect((await respond('ACKNOWLEDGED')).status).toBe(201);
    const noReason = await respond('ACTION_NOT_POSSIBLE');
    expect(noReason.status).toBe(400);
    expect((await respond('ACTION_NOT_POSSIBLE', 'Patrol car in the workshop')).status).toBe(201);

    const seen = await eventually(async () => {
      const body = await detail(laixi, alert.alertId);
      return body.responses.length === 2 && body.receipts.length >= 2 ? body : undefined;
    });
    expect(seen.receipts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ region: laiyang.config.region, unit: 'laiyang-patrol' }),
        expect.objectContaining({ region: laiyang.config.region, unit: 'laiyang-joint-duty' }),
      ]),
    );
    expect(seen.responses).toEqual([
      expect.objectContaining({ region: laiyang.config.region, unit: 'laiyang-patrol', status: 'ACKNOWLEDGED' }),
      expect.objectContaining({
        unit: 'laiyang-patrol',
        status: 'ACTION_NOT_POSSIBLE',
        reason: 'Patrol car in the workshop',
      }),
    ]);

    // Acknowledged in time: the deadline passes without an escalation.
    laixi.app.get(Clock).advance(11 * MINUTE);
    await expect(laixi.app.get(EscalationScheduler).runDue()).resolves.not.toContain(alert.alertId);
    const metrics = await request(laixi.url).get('/metrics');
    expect(metrics.text).toMatch(/police_time_to_acknowledge_seconds_count\{[^}]*\} [1-9]/);

    // Every read of an alert by a unit is in the audit trail of the region where it was read.
    const audit = await eventually(async () => {
      const response = await request(laiyang.url)
        .get('/audit')
        .set(
          'Authorization',
          `Bearer ${signDevToken({ role: 'operator', region: laiyang.config.region, org: 'ops' }, laiyang.config)}`,
        );
      const entries = response.body as { org: string; action: string; resources: string[] }[];
      return entries.some((e) => e.org === 'laiyang-patrol' && e.resources.includes(alert.alertId))
        ? entries
        : undefined;
    });
    expect(audit).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'police.alert.read', org: 'laiyang-joint-duty' })]),
    );
  });

  it('escalates an alert nobody acknowledged exactly once, in both cities, after its deadline', async () => {
    const clock = laixi.app.get(Clock);
    const alert = await raise('BZ-09', { severity: 'P3' });
    const scheduler = laixi.app.get(EscalationScheduler);
    clock.advance(29 * MINUTE);
    await expect(scheduler.runDue()).resolves.not.toContain(alert.alertId);
    clock.advance(2 * MINUTE);
    // The scheduler's own ticks run too: whichever takes the deadline, the alert escalates once.
    const passes = await Promise.all([scheduler.runDue(), scheduler.runDue(), scheduler.runDue()]);
    await expect(scheduler.runDue()).resolves.not.toContain(alert.alertId);
    expect(passes.flat().filter((id) => id === alert.alertId).length).toBeLessThanOrEqual(1);
    // The deadline was taken once: nobody can take it again (the alert's state is not the only guard).
    const taken = await laixi.app
      .get(DataSource)
      .transaction((manager) => laixi.app.get(AlertRepository).takeDueDeadline(manager, alert.alertId, clock.now()));
    expect(taken).toBe(false);

    const escalated = await eventually(async () => {
      const body = await detail(laiyang, alert.alertId, 'laiyang-patrol');
      return body.alert.escalation ? body.alert : undefined;
    });
    expect(escalated).toMatchObject({ severity: 'P2', escalation: { fromSeverity: 'P3', widened: false } });
    expect((await detail(laixi, alert.alertId)).alert).toEqual(escalated);
    for (const service of [laixi, laiyang]) {
      const [{ count }] = await service.app
        .get(DataSource)
        .query<{ count: number }[]>(
          `select count(*)::int as count from police_feed where alert_id = $1 and kind = 'escalated'`,
          [alert.alertId],
        );
      expect(count).toBe(1);
    }
    const [{ events }] = await laixi.app
      .get(DataSource)
      .query<{ events: number }[]>('select count(*)::int as events from bus_outbox where type = $1 and key = $2', [
        ALERT_ESCALATED_V1,
        `alert/${alert.alertId}`,
      ]);
    expect(events).toBe(1);
  });

  it("reports to Laixi a Laiyang unit's read of a Laixi alert naming persons, under each person", async () => {
    // Synthetic resident IDs (libs/testing/fixtures/resident-ids.json).
    const persons = ['370285196205237809', '370285196908126873'].map((id) => laixi.app.get(Pseudonymizer).of(id));
    const alert = await raise('BZ-10', { personResidentIds: ['370285196205237809', '370285196908126873'] });
    expect(alert.personPseudonyms).toEqual(persons);
    await eventually(async () => {
      const response = await request(laiyang.url)
        .get(`/alerts/${alert.alertId}`)
        .set('Authorization', `Bearer ${token(laiyang, 'laiyang-patrol')}`);
      return response.status === 200 ? true : undefined;
    });
    const operator = `Bearer ${signDevToken({ role: 'operator', region: laiyang.config.region, org: 'ops' }, laiyang.config)}`;
    const entries = (await request(laiyang.url).get('/audit').set('Authorization', operator)).body as {
      id: string;
      org: string;
      purpose: string;
      resources: string[];
    }[];
    const entry = entries.find(
      (e) => e.org === 'laiyang-patrol' && e.purpose === 'detail' && e.resources.includes(alert.alertId),
    )!;
    for (const person of persons) {
      await expectReportedHome(laiyang, laixi, person, {
        auditEntryId: entry.id,
        subjects: persons,
        action: 'police.alert.read',
        purpose: 'detail',
        org: 'laiyang-patrol',
        resources: [alert.alertId],
      });
    }
    // Laixi's own reads are audited there and reported nowhere.
    await detail(laixi, alert.alertId);
    await expect(
      request(laiyang.url).get('/audit/access-reports').query({ subject: persons[0] }).set('Authorization', operator),
    ).resolves.toMatchObject({ status: 200, body: [] });
  });

  it('answers bad input with problem details', async () => {
    const post = (body: Record<string, unknown>) =>
      request(laixi.url)
        .post('/alerts')
        .set('Authorization', `Bearer ${token(laixi, 'laixi-command')}`)
        .send({
          area: 'public-order',
          severity: 'P3',
          location: { lat: 36.86, lon: 120.53, zone: 'BZ-01' },
          description: 'x',
          actionRequested: 'y',
          expiresAt: new Date(laixi.app.get(Clock).now().getTime() + MINUTE).toISOString(),
          ...body,
        });
    for (const [body, code] of [
      [{ area: 'karaoke' }, 'POLICE.UNKNOWN_AREA'],
      [{ severity: 'P9' }, 'POLICE.UNKNOWN_SEVERITY'],
      [{ location: { lat: 36.86, lon: 120.53, zone: 'BZ-99' } }, 'POLICE.UNKNOWN_ZONE'],
      [{ expiresAt: '2020-01-01T00:00:00Z' }, 'POLICE.EXPIRY_IN_PAST'],
    ] as const) {
      const response = await post(body);
      expect({ status: response.status, type: response.type, code: response.body.code }).toEqual({
        status: 400,
        type: 'application/problem+json',
        code,
      });
    }
    expect((await post({ personResidentIds: ['110101199003070000'] })).status).toBe(400);
    // Every delivery of an alert to another city's unit is reported home naming all its persons: bounded on purpose.
    const tooMany = await post({ personResidentIds: Array(ALERT_MAX_PERSONS + 1).fill('370285196205237809') });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual([expect.objectContaining({ field: 'personResidentIds' })]);

    const alert = await raise('BZ-10');
    const ack = (service: TestService, unit: string) =>
      request(service.url)
        .post(`/alerts/${alert.alertId}/responses`)
        .set('Authorization', `Bearer ${token(service, unit)}`)
        .send({ status: 'ACKNOWLEDGED' });
    await eventually(async () =>
      (
        await request(laiyang.url)
          .get(`/alerts/${alert.alertId}`)
          .set('Authorization', `Bearer ${token(laiyang, 'laiyang-far')}`)
      ).status === 200
        ? true
        : undefined,
    );
    const own = await ack(laixi, 'laixi-patrol');
    expect({ status: own.status, code: own.body.code }).toEqual({ status: 403, code: 'POLICE.OWN_REGION_ALERT' });
    const unreceived = await ack(laiyang, 'laiyang-far');
    expect({ status: unreceived.status, code: unreceived.body.code }).toEqual({
      status: 409,
      code: 'POLICE.ALERT_NOT_RECEIVED',
    });
    const unknown = await request(laiyang.url)
      .post(`/alerts/${randomUUID()}/responses`)
      .set('Authorization', `Bearer ${token(laiyang, 'laiyang-far')}`)
      .send({ status: 'ACKNOWLEDGED' });
    expect(unknown.status).toBe(404);
    const badSubscription = await request(laiyang.url)
      .post('/subscriptions')
      .set('Authorization', `Bearer ${token(laiyang, 'laiyang-far')}`)
      .send({ zones: ['BZ-77'] });
    expect(badSubscription.body.code).toBe('POLICE.UNKNOWN_ZONE');
    const foreign = await request(laixi.url)
      .post('/subscriptions')
      .set('Authorization', `Bearer ${token(laiyang, 'laiyang-far')}`)
      .send({});
    expect({ status: foreign.status, code: foreign.body.code }).toEqual({ status: 403, code: 'AUTH.OTHER_CITY' });
    const badId = await new SseClient(`${laiyang.url}/alerts/stream`, token(laiyang, 'laiyang-far'), 'abc').open();
    streams.push(badId);
    expect(badId.status).toBe(400);
  });

  it('drops a stream whose client stops reading, without holding up the others', async () => {
    const metricStreams = async () =>
      Number(/^police_sse_streams(?:\{[^}]*\})? (\S+)$/m.exec((await request(laiyang.url).get('/metrics')).text)![1]);
    for (const client of streams) client.close();
    await eventually(async () => ((await metricStreams()) === 0 ? true : undefined), 10_000, 'no stream open');

    const reader = await stream(laiyang, 'laiyang-reader');
    const stalled = connect({ port: laiyang.config.port, host: '127.0.0.1' }, () => {
      stalled.write(
        `GET /alerts/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token(laiyang, 'laiyang-stalled')}\r\n\r\n`,
      );
      // Reads nothing from here on: the kernel's buffers fill, then the service's.
      stalled.pause();
    });
    stalled.on('error', () => undefined);
    sockets.push(stalled);
    await eventually(async () => ((await metricStreams()) === 2 ? true : undefined), 10_000, 'two streams open');

    // 1,500 widened (everyone's) entries of 50 KB each straight into the feed: more than the kernel's socket buffers
    // (which take tens of MB on loopback) and the 256 KiB the service keeps for a stream.
    const feed = laiyang.app.get(FeedRepository);
    const template = await raise('BZ-10');
    await laiyang.app.get(DataSource).transaction(async (manager) => {
      for (let i = 0; i < 1500; i++) {
        await feed.append(manager, 'updated', laixi.config.region, {
          ...template,
          version: template.version + 1 + i,
          description: 'x'.repeat(50_000),
          escalation: { at: template.raisedAt, fromSeverity: 'P3', widened: true },
        });
      }
    });
    await reader.until(() => reader.events.length >= 1500, 90_000, '1,500 events on the reading stream');
    await eventually(
      async () => ((await metricStreams()) === 1 ? true : undefined),
      30_000,
      'the stalled stream dropped',
    );
    expect(reader.closed).toBe(false);
    stalled.destroy();
  });
});
