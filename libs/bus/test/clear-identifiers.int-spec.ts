import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { BusPublisher, ClearIdentifierError, SUBJECT_FIELD } from '@app/bus';
import { PROBE_V1 } from '@app/contracts';
import {
  CountingAppModule,
  TestService,
  eventually,
  isRogueTopic,
  scanBrokerForClearIdentifiers,
  startTestServices,
  testInfra,
  testRegions,
  testToken,
} from '@app/testing';

const RESIDENT_ID = '370285196205237809';
const MOBILE = '138 1234 5678';
const operator = (service: TestService) => ({ Authorization: `Bearer ${testToken(service.config, 'operator')}` });

describe('clear identifiers at the publishing point', () => {
  // Rogue regions: this test writes clear identifiers to their topics on purpose, and the suite's final scan of the
  // broker (scanSuiteBroker) leaves them out.
  const regions = testRegions(['laixi', 'laiyang'], { rogue: true });
  const ours = (topic: string) => Object.values(regions.names).some((name) => topic.startsWith(`${name}.`));
  let services: Awaited<ReturnType<typeof startTestServices>>;
  let laixi: TestService;
  let dataSource: DataSource;
  const outboxRows = async () =>
    Number((await dataSource.query<{ n: string }[]>('select count(*) as n from bus_outbox'))[0].n);

  beforeAll(async () => {
    services = await startTestServices({
      service: 'talent',
      regions,
      appModule: (config) => CountingAppModule.register(config),
      env: { HEARTBEAT_INTERVAL_MS: '3600000' },
    });
    laixi = services.laixi;
    dataSource = laixi.app.get(DataSource);
  });

  afterAll(async () => {
    await services?.close();
  });

  it('refuses an event whose payload holds a resident ID or mobile number, and writes nothing to the outbox', async () => {
    const publisher = laixi.app.get(BusPublisher);
    const before = await outboxRows();
    const publish = dataSource.transaction((manager) =>
      publisher.publishMany(manager, [
        { type: PROBE_V1, subject: 'probe/fine', data: { probeId: randomUUID(), stream: 'fine', n: 1 } },
        {
          type: PROBE_V1,
          subject: 'probe/leak',
          data: { probeId: randomUUID(), stream: 'leak', n: 1, note: `ID ${RESIDENT_ID}, tel ${MOBILE}` },
        },
      ]),
    );
    const error = await publish.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClearIdentifierError);
    expect(error).toMatchObject({
      code: 'BUS.CLEAR_IDENTIFIER',
      kind: 'unprocessable',
      findings: [{ path: 'note', kinds: ['mobile', 'resident-id'] }],
    });
    expect(JSON.stringify({ ...(error as ClearIdentifierError), message: (error as Error).message })).not.toContain(
      RESIDENT_ID,
    );
    await expect(outboxRows()).resolves.toBe(before);
  });

  it('answers the publishing request 422, naming each field path and never the value', async () => {
    const before = await outboxRows();
    const response = await request(laixi.url)
      .post('/bus/probes')
      .set(operator(laixi))
      .send({ count: 1, stream: '13812345678', note: `call ${MOBILE}` });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      status: 422,
      code: 'BUS.CLEAR_IDENTIFIER',
      errors: [
        { field: SUBJECT_FIELD, messages: [expect.stringContaining('mobile phone number')] },
        { field: 'note', messages: [expect.stringContaining('mobile phone number')] },
        { field: 'stream', messages: [expect.stringContaining('mobile phone number')] },
      ],
    });
    expect(JSON.stringify(response.body)).not.toMatch(/1234|13812345678/);
    await expect(outboxRows()).resolves.toBe(before);
  });

  it('publishes an event whose digits are no identifier (UUIDs, times, an invalid ID)', async () => {
    const note = `docs 1b9d6138-1234-5678-9bcd-bbfd4b2d6b6d at ${Date.now()}; old id 370285196205237800`;
    const response = await request(laixi.url).post('/bus/probes').set(operator(laixi)).send({ stream: 'ok', note });
    expect(response.status).toBe(202);
    await eventually(async () => {
      const counted = await services.laiyang.app
        .get(DataSource)
        .query<{ n: string }[]>("select count(*) as n from counted_application where stream = 'ok'");
      return counted[0].n === '1' ? true : undefined;
    });
  });

  it("finds, in a broker scan of the test's topics, only what was written around the publisher", async () => {
    await expect(scanBrokerForClearIdentifiers({ brokers: testInfra().kafkaBrokers, topics: ours })).resolves.toEqual(
      [],
    );
    // Written straight to the topic, as a faulty or rogue producer would.
    const producer = new Kafka({ brokers: testInfra().kafkaBrokers.split(','), logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({
      topic: `${regions.names.laixi}.talent`,
      messages: [
        {
          key: 'rogue',
          value: JSON.stringify({ person: { id: RESIDENT_ID } }),
          headers: { ce_type: PROBE_V1, ce_sig: '13812345678' },
        },
      ],
    });
    await producer.disconnect();
    // Laiyang dead-letters it (unsigned), so its dead-letter topic may hold a copy too.
    const found = await scanBrokerForClearIdentifiers({ brokers: testInfra().kafkaBrokers, topics: ours });
    expect(found.map(({ topic }) => topic)).toContain(`${regions.names.laixi}.talent`);
    for (const message of found) {
      expect(message).toMatchObject({ type: PROBE_V1, findings: [{ path: 'person.id', kinds: ['resident-id'] }] });
    }
  });

  it('gives up a scan past its time budget, naming where it stopped, rather than wait on a large broker', async () => {
    const started = Date.now();
    await expect(scanBrokerForClearIdentifiers({ brokers: testInfra().kafkaBrokers, timeoutMs: 50 })).rejects.toThrow(
      /^broker scan incomplete after 50 ms \((listing topics|fetching the offsets of \d+ topics|reading \d+ partitions)\)/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('leaves the rogue regions out of the suite-wide scan, and only them', () => {
    expect(isRogueTopic(`${regions.names.laixi}.talent`)).toBe(true);
    expect(isRogueTopic(`${regions.names.laiyang}.dlq`)).toBe(true);
    const plain = testRegions(['laixi']).names.laixi;
    expect(isRogueTopic(`${plain}.talent`)).toBe(false);
    expect(isRogueTopic(`${plain}.talent.${regions.names.laiyang}`)).toBe(false);
  });
});
