import { CountingAppModule, TestService, eventually, startTestService, testRegions, testToken } from '@app/testing';
import { expectBusInvariants, flowProbes } from './bus-invariants';

const POOL_SIZE = 2;
const CLIENTS = 100;

/** Readers of a slow report that keep the consumer's every connection busy, each asking again once answered. */
function httpLoad(service: TestService) {
  const statuses = new Map<number, number>();
  let running = true;
  const token = `Bearer ${testToken(service.config, 'operator')}`;
  const client = async () => {
    while (running) {
      const response = await fetch(`${service.url}/counted/slow-report`, { headers: { Authorization: token } }).catch(
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

/** Requests refused for want of a database connection (500 or 503). */
function refused(statuses: Map<number, number>): number {
  return [...statuses].filter(([status]) => status >= 500).reduce((sum, [, count]) => sum + count, 0);
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
    const load = httpLoad(laiyang);
    let flowing: Promise<void> | undefined;
    try {
      // The pool is exhausted: HTTP requests are refused a connection in time.
      await eventually(
        async () => (refused(load.statuses) > 0 ? true : undefined),
        60_000,
        'a request refused a connection',
      );
      const refusedBefore = refused(load.statuses);
      flowing = flowProbes(() => laixi, streams, { chunk: 25, pauseMs: 100 });
      await flowing;
      // The pool stayed exhausted while the events flowed in.
      expect(refused(load.statuses)).toBeGreaterThan(refusedBefore);
    } finally {
      await load.stop();
      await flowing?.catch(() => undefined);
    }

    await expectBusInvariants({ publisher: laixi, consumer: laiyang, streams });
    // Under load the service answers, or refuses with 503: never a 500.
    expect([...load.statuses.keys()].filter((status) => status >= 500 && status !== 503)).toEqual([]);
  });
});
