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
const CHECK = Symbol.for('shuanglai.test-infra.check');
type WithStop = typeof globalThis & { [STOP]?: () => Promise<void>; [CHECK]?: () => Promise<void> };

/** `check` runs once every test has, before the infrastructure stops; it fails the run by throwing. */
export function setTestInfra(stopAll: () => Promise<void>, check?: () => Promise<void>): void {
  (globalThis as WithStop)[STOP] = stopAll;
  (globalThis as WithStop)[CHECK] = check;
}

/** Runs the suite's final check, then stops the infrastructure whatever the check found. */
export async function stopTestInfra(): Promise<void> {
  try {
    await (globalThis as WithStop)[CHECK]?.();
  } finally {
    await (globalThis as WithStop)[STOP]?.();
  }
}

export function testInfra(): TestInfra {
  const raw = process.env.SHUANGLAI_TEST_INFRA;
  if (!raw) throw new Error('SHUANGLAI_TEST_INFRA is not set: run integration tests through jest (npm test)');
  return JSON.parse(raw) as TestInfra;
}
