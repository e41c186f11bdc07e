/** Where the run's shared infrastructure is; set by the global setup, read by every test worker. */
export interface TestInfra {
  runId: string;
  /** The PostgreSQL server's maintenance database URL; tests create their own databases on it. */
  postgresUrl: string;
  kafkaBrokers: string;
  kafkaStartupMs?: number;
}

// Jest documents globalThis as the way to hand state from the global setup to the global teardown.
const STOP = Symbol.for('shuanglai.test-infra.stop');
type WithStop = typeof globalThis & { [STOP]?: () => Promise<void> };

export function setTestInfra(stopAll: () => Promise<void>): void {
  (globalThis as WithStop)[STOP] = stopAll;
}

export async function stopTestInfra(): Promise<void> {
  await (globalThis as WithStop)[STOP]?.();
}

export function testInfra(): TestInfra {
  const raw = process.env.SHUANGLAI_TEST_INFRA;
  if (!raw) throw new Error('SHUANGLAI_TEST_INFRA is not set: run integration tests through jest (npm test)');
  return JSON.parse(raw) as TestInfra;
}
