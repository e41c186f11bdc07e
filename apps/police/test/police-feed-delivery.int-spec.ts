import { Client, Pool } from 'pg';
import request from 'supertest';
import { Pseudonymizer } from '@app/bus';
import { AppConfig } from '@app/config';
import { ALERT_RECEIVED_V1, AlertStateV1 } from '@app/contracts';
import { withDatabase } from '@app/database';
import { signDevToken } from '@app/http';
import { Clock } from '@app/platform';
import { sleep } from '@app/runtime';
import {
  SseClient,
  SseEvent,
  TestService,
  eventually,
  expectReportedHome,
  startTestServices,
  testRegions,
} from '@app/testing';
import { PoliceAppModule } from '../src/app.module';
import { AlertFeedHub } from '../src/feed/alert-feed.hub';

const MINUTE = 60_000;

interface FeedEvent {
  seq: number;
  alert: AlertStateV1;
}

const parsed = (client: SseClient) => client.events.map((event) => JSON.parse(event.data) as FeedEvent);

/** What is on record, in the receiving city, of one delivery when the unit is handed it. */
interface DeliveryRecord {
  seq: number;
  receipt: boolean;
  audited: number;
  receivedEvent: boolean;
}

describe(AlertFeedHub.name, () => {
  const regions = testRegions(['laixi', 'laiyang']);
  let services: Awaited<ReturnType<typeof startTestServices>>;
  let laixi: TestService;
  let laiyang: TestService;
  /** The test's own connections to Laiyang's police database, and one to the server's `postgres` database. */
  let database: Pool;
  let admin: Client;
  let databaseName: string;
  const streams: SseClient[] = [];

  const token = (config: AppConfig, unit: string) =>
    signDevToken({ role: 'police-unit', region: config.region, org: unit, sub: `officer:${unit}` }, config);
  const stream = async (unit: string, lastEventId?: string, onEvent?: (event: SseEvent) => void) => {
    const client = await new SseClient(
      `${laiyang.url}/alerts/stream`,
      token(laiyang.config, unit),
      lastEventId,
      onEvent,
    ).open();
    streams.push(client);
    expect(client.status).toBe(200);
    return client;
  };
  const raise = async (zone: string, extra: Record<string, unknown> = {}) => {
    const response = await request(laixi.url)
      .post('/alerts')
      .set('Authorization', `Bearer ${token(laixi.config, 'laixi-command')}`)
      .send({
        area: 'public-order',
        severity: 'P3',
        location: { lat: 36.86, lon: 120.53, zone },
        description: 'Stolen van heading for the bridge',
        actionRequested: 'Stop and search',
        expiresAt: new Date(laixi.app.get(Clock).now().getTime() + 120 * MINUTE).toISOString(),
        ...extra,
      });
    expect(response.status).toBe(201);
    return response.body as AlertStateV1;
  };
  const subscribe = async (unit: string, zones: string[]) => {
    const response = await request(laiyang.url)
      .post('/subscriptions')
      .set('Authorization', `Bearer ${token(laiyang.config, unit)}`)
      .send({ zones });
    expect(response.status).toBe(201);
  };
  /** Read on the test's own connection the moment the unit is handed the event. */
  const onRecord = async (unit: string, event: SseEvent): Promise<DeliveryRecord> => {
    const { seq, alert } = JSON.parse(event.data) as FeedEvent;
    const {
      rows: [row],
    } = await database.query<{ receipt: boolean; audited: number; received_event: boolean }>(
      `select exists (select 1 from police_receipt where alert_id = $1 and region = $2 and unit = $3) as receipt,
              (select count(*)::int from audit_log where org = $3 and action = 'police.alert.read'
                  and purpose = 'delivery:sse' and resources ? $1::text) as audited,
              exists (select 1 from bus_outbox where type = $4 and key = 'alert/' || $1::text
                  and payload::text like '%' || $3 || '%') as received_event`,
      [alert.alertId, laiyang.config.region, unit, ALERT_RECEIVED_V1],
    );
    return { seq, receipt: row.receipt, audited: row.audited, receivedEvent: row.received_event };
  };
  const feedCount = async (alertIds: string[]) => {
    const [{ count }] = (
      await database.query<{ count: number }>(
        'select count(*)::int as count from police_feed where alert_id = any($1::uuid[])',
        [alertIds],
      )
    ).rows;
    return count;
  };

  beforeAll(async () => {
    services = await startTestServices({
      service: 'police',
      regions,
      appModule: (config) => PoliceAppModule.register(config),
    });
    laixi = services.laixi;
    laiyang = services.laiyang;
    databaseName = new URL(laiyang.config.databaseUrl).pathname.slice(1);
    database = new Pool({ connectionString: laiyang.config.databaseUrl, max: 2 });
    admin = new Client({ connectionString: withDatabase(laiyang.config.databaseUrl, 'postgres') });
    await admin.connect();
    database.on('error', () => undefined);
    await subscribe('laiyang-watch', ['BZ-03']);
    await subscribe('laiyang-late', ['BZ-03']);
    await subscribe('laiyang-patrol', ['BZ-04']);
    await subscribe('laiyang-traffic', ['BZ-05']);
  });

  afterAll(async () => {
    for (const client of streams) client.close();
    await admin?.query(`alter database "${databaseName}" with allow_connections true`).catch(() => undefined);
    await Promise.all([database?.end().catch(() => undefined), admin?.end()]);
    await services?.close();
  });

  it('commits the receipt, the alert.received event and the audit entry of a delivery before the unit sees it', async () => {
    const live: Promise<DeliveryRecord>[] = [];
    const watch = await stream('laiyang-watch', undefined, (event) => live.push(onRecord('laiyang-watch', event)));
    const raised: AlertStateV1[] = [];
    for (let i = 0; i < 20; i++) raised.push(await raise('BZ-03'));
    await watch.waitForCount(20);
    const records = await Promise.all(live);
    expect(records).toHaveLength(20);
    for (const record of records) {
      expect(record).toEqual({ seq: expect.any(Number), receipt: true, audited: 1, receivedEvent: true });
    }
    expect(parsed(watch).map((e) => e.alert.alertId)).toEqual(expect.arrayContaining(raised.map((a) => a.alertId)));

    // A unit catching up from the start of the feed: the same, page by page.
    const caughtUp: Promise<DeliveryRecord>[] = [];
    const late = await stream('laiyang-late', '0', (event) => caughtUp.push(onRecord('laiyang-late', event)));
    await late.waitForCount(20);
    const lateRecords = await Promise.all(caughtUp);
    for (const record of lateRecords) {
      expect(record).toEqual({ seq: expect.any(Number), receipt: true, audited: 1, receivedEvent: true });
    }
    expect(lateRecords.map((r) => r.seq)).toEqual(records.map((r) => r.seq));

    // A poll is answered once its deliveries are on record too.
    const polled = await request(laiyang.url)
      .get('/alerts?after=0&limit=5')
      .set('Authorization', `Bearer ${token(laiyang.config, 'laiyang-watch')}`);
    expect(polled.status).toBe(200);
    const polledIds = (polled.body.items as FeedEvent[]).map((item) => item.alert.alertId);
    expect(polledIds).toHaveLength(5);
    const { rows } = await database.query<{ audited: boolean }>(
      `select exists (select 1 from audit_log where org = 'laiyang-watch' and purpose = 'delivery:poll'
          and resources ? alert_id) as audited from unnest($1::text[]) as alert_id`,
      [polledIds],
    );
    expect(rows.map((r) => r.audited)).toEqual(polledIds.map(() => true));
  });

  it('reports to Laixi each delivery, streamed or polled, of a Laixi alert naming persons, under each person', async () => {
    // Synthetic resident IDs (libs/testing/fixtures/resident-ids.json).
    const ids = ['370285196205237809', '370285196908126873'];
    const persons = ids.map((id) => laixi.app.get(Pseudonymizer).of(id));
    const traffic = await stream('laiyang-traffic');
    const alert = await raise('BZ-05', { personResidentIds: ids });
    expect(alert.personPseudonyms).toEqual(persons);
    await traffic.waitForCount(1);
    const polled = await request(laiyang.url)
      .get('/alerts?after=0&limit=1000')
      .set('Authorization', `Bearer ${token(laiyang.config, 'laiyang-traffic')}`);
    expect(polled.status).toBe(200);
    expect((polled.body.items as FeedEvent[]).map((item) => item.alert.alertId)).toEqual([alert.alertId]);

    for (const channel of ['sse', 'poll']) {
      const { rows } = await database.query<{ id: string }>(
        `select id::text from audit_log where org = 'laiyang-traffic' and purpose = $1 and resources ? $2::text`,
        [`delivery:${channel}`, alert.alertId],
      );
      expect(rows).toHaveLength(1);
      for (const person of persons) {
        await expectReportedHome(laiyang, laixi, person, {
          auditEntryId: rows[0].id,
          subjects: persons,
          action: 'police.alert.read',
          purpose: `delivery:${channel}`,
          org: 'laiyang-traffic',
          actorRegion: laiyang.config.region,
          resources: [alert.alertId],
        });
      }
    }
  });

  it('sends nothing while the database cannot record, and delivers every missed alert once, in order, after it is back', async () => {
    const patrol = await stream('laiyang-patrol');
    const first = await raise('BZ-04');
    await patrol.waitForCount(1);
    const lastSeen = patrol.lastId!;

    // Writes fail to go through (the receipts are locked), reads still work: the alerts reach Laiyang's feed.
    const holder = new Client({ connectionString: laiyang.config.databaseUrl });
    holder.on('error', () => undefined);
    await holder.connect();
    await holder.query('begin');
    await holder.query('lock table police_receipt in exclusive mode');
    const whileLocked: AlertStateV1[] = [];
    for (let i = 0; i < 10; i++) whileLocked.push(await raise('BZ-04'));
    await eventually(
      async () => ((await feedCount(whileLocked.map((a) => a.alertId))) === 10 ? true : undefined),
      30_000,
      'the alerts in Laiyang',
    );
    // The reader is stuck on recording the page: nothing of it was sent.
    await eventually(async () => {
      const { rows } = await admin.query<{ waiting: number }>(
        `select count(*)::int as waiting from pg_stat_activity where datname = $1 and wait_event_type = 'Lock'`,
        [databaseName],
      );
      return rows[0].waiting > 0 ? true : undefined;
    });
    await sleep(1500);
    expect(patrol.events).toHaveLength(1);

    // The database goes away: every connection of the service is cut and no new one is let in.
    await admin.query(`alter database "${databaseName}" with allow_connections false`);
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [databaseName]);
    const whileDown: AlertStateV1[] = [];
    for (let i = 0; i < 10; i++) whileDown.push(await raise('BZ-04'));
    await sleep(3000);
    expect(patrol.events).toHaveLength(1);
    patrol.close();

    // Back: the unit resumes from the last event it saw and gets every alert it missed, once, in feed order.
    await admin.query(`alter database "${databaseName}" with allow_connections true`);
    const missed = [...whileLocked, ...whileDown].map((a) => a.alertId);
    await eventually(async () => ((await feedCount(missed)) === 20 ? true : undefined), 60_000, 'the missed alerts');
    const resumed = await stream('laiyang-patrol', lastSeen);
    await resumed.waitForCount(20, 60_000);
    await sleep(1500);
    const events = parsed(resumed);
    expect(events).toHaveLength(20);
    expect(events.map((e) => e.alert.alertId).sort()).toEqual([...missed].sort());
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs[0]).toBeGreaterThan(Number(lastSeen));
    expect(events.map((e) => e.alert.alertId)).not.toContain(first.alertId);

    // Recorded once each: one audit entry names each alert for the unit.
    const { rows } = await database.query<{ alert_id: string; audited: number }>(
      `select alert_id::text, (select count(*)::int from audit_log where org = 'laiyang-patrol'
          and purpose = 'delivery:sse' and resources ? alert_id::text) as audited
         from unnest($1::uuid[]) as alert_id`,
      [missed],
    );
    expect(rows.map((r) => r.audited)).toEqual(missed.map(() => 1));
  });
});
