import request from 'supertest';
import { databaseName, withDatabase } from '@app/database';
import {
  CountingAppModule,
  PrivatePostgres,
  TestService,
  eventually,
  startTestService,
  testRegions,
} from '@app/testing';
import { appliedCount, expectBusInvariants, flowProbes } from './bus-invariants';

/**
 * The consuming city's PostgreSQL (a server of its own, so that crashing it disturbs no other test) goes down
 * with an immediate shutdown, as in a crash, while events flow in, and is started again on the same data.
 */
describe("the bus when the consuming city's PostgreSQL crashes and restarts mid-stream", () => {
  const regions = testRegions(['laixi', 'laiyang']);
  const postgres = new PrivatePostgres();
  let laixi: TestService;
  let laiyang: TestService;

  beforeAll(async () => {
    await postgres.start();
    const start = (region: 'laixi' | 'laiyang', env: Record<string, string> = {}) =>
      startTestService({
        service: 'talent',
        regions,
        region,
        appModule: (config) => CountingAppModule.register(config),
        env: { HEARTBEAT_INTERVAL_MS: '3600000', DATABASE_POOL_SIZE: '3', ...env },
      });
    [laixi, laiyang] = await Promise.all([
      start('laixi'),
      start('laiyang', { DATABASE_URL: withDatabase(postgres.url, databaseName(regions.names.laiyang, 'talent')) }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([laixi?.close(), laiyang?.close()]);
    await postgres.stop();
  });

  it('applies every event once, in order, with no gap, once its database is back', async () => {
    const streams = { 'pg-a': 1500, 'pg-b': 1500 };
    const flowing = flowProbes(() => laixi, streams, { chunk: 50, pauseMs: 50 });
    await eventually(async () => ((await appliedCount(laiyang)) >= 500 ? true : undefined), 60_000, '500 applied');

    await postgres.kill();
    // The fault hit: the consuming service sees its database gone while events keep coming.
    const down = await eventually(
      async () => {
        const response = await request(laiyang.url).get('/health');
        return response.status === 503 ? response : undefined;
      },
      30_000,
      '503 from the consumer',
    );
    expect(down.body.details.database.status).toBe('down');
    await postgres.start();
    await flowing;

    await expectBusInvariants({ publisher: laixi, consumer: laiyang, streams });
  });
});
