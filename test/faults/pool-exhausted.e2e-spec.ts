import request from 'supertest';
import { CountingAppModule, TestService, eventually, startTestService, testRegions, testToken } from '@app/testing';
import { appliedCount, expectBusInvariants, flowProbes } from './bus-invariants';

const POOL_SIZE = 2;
const CLIENTS = 300;

/** Readers that keep the consumer's every database connection busy, each asking again as soon as it is answered. */
function httpLoad(service: TestService) {
  const statuses = new Map<number, number>();
  let running = true;
  const token = `Bearer ${testToken(service.config, 'operator')}`;
  const client = async () => {
    while (running) {
      const response = await fetch(`${service.url}/bus/streams`, { headers: { Authorization: token } }).catch(
        () => undefined,
      );
      await response?.arrayBuffer();
      const status = response?.status ?? 0;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  const clients = Array.from({ length: CLIENTS }, client);
  return {
    statuses,
    stop: async () => {
      running = false;
      await Promise.all(clients);
    },
  };
}

/** The consumer's own database retries: the inbox waited for a connection and was told to try again. */
async function retries(service: TestService): Promise<number> {
  const { text } = await request(service.url).get('/metrics').expect(200);
  return text
    .split('\n')
    .filter((line) => line.startsWith('bus_retries_total{'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/**
 * The consuming service has a small pool (DATABASE_POOL_SIZE) and HTTP clients that keep it busy while events flow
 * in, so that the inbox waits for connections and is refused some: a refused connection is the infrastructure's
 * fault and must be retried, never held against the event (dead-lettered).
 */
describe("the bus when the consuming service's database pool is exhausted by HTTP load", () => {
  const regions = testRegions(['laixi', 'laiyang']);
  let laixi: TestService;
  let laiyang: TestService;

  beforeAll(async () => {
    const start = (region: 'laixi' | 'laiyang', poolSize: number) =>
      startTestService({
        service: 'talent',
        regions,
        region,
        appModule: (config) => CountingAppModule.register(config),
        env: { HEARTBEAT_INTERVAL_MS: '3600000', DATABASE_POOL_SIZE: String(poolSize) },
      });
    [laixi, laiyang] = await Promise.all([start('laixi', 3), start('laiyang', POOL_SIZE)]);
  });

  afterAll(async () => {
    await Promise.all([laixi?.close(), laiyang?.close()]);
  });

  it('applies every event once, in order, with no gap, and dead-letters none', async () => {
    const streams = { 'pool-a': 1500, 'pool-b': 1500 };
    const flowing = flowProbes(() => laixi, streams, { chunk: 50, pauseMs: 50 });
    await eventually(async () => ((await appliedCount(laiyang)) >= 300 ? true : undefined), 60_000, '300 applied');

    const load = httpLoad(laiyang);
    try {
      // The fault hit: the inbox was refused a connection and retried.
      await eventually(
        async () => ((await retries(laiyang)) > 0 ? true : undefined),
        60_000,
        () => {
          return `an inbox retry under load (HTTP statuses so far: ${JSON.stringify([...load.statuses])})`;
        },
      );
    } finally {
      await load.stop();
    }
    await flowing;

    await expectBusInvariants({ publisher: laixi, consumer: laiyang, streams });
    // Under load the service answers, or refuses with 503: never a 500.
    expect([...load.statuses.keys()].filter((status) => status >= 500 && status !== 503)).toEqual([]);
  });
});
