import 'reflect-metadata';
import './register-paths';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, resolvePostgres, startKafkaBroker } from '@app/embedded';
import { brokerTopics, scanSuiteBroker } from './suite-broker-scan';
import { TestInfra, setTestInfra } from './test-infra';

/**
 * Brings up the real infrastructure once per test run: a Kafka broker (unless KAFKA_BROKERS names one) and a
 * PostgreSQL server (DATABASE_URL, else the one on 127.0.0.1:5432, else an embedded one). Workers inherit the
 * addresses through the environment; each test then makes its own topics, groups and databases. When every test
 * has run, the broker is scanned for clear identifiers (scanSuiteBroker) before it stops: one found fails the run.
 */
export default async function globalSetup(): Promise<void> {
  const root = repoRoot();
  const log = (line: string) => process.stderr.write(`[test infra] ${line}\n`);
  const runId = randomBytes(3).toString('hex');

  const postgres = await resolvePostgres({ dataDir: join(root, '.data', 'test-postgres'), log });
  const broker = process.env.KAFKA_BROKERS
    ? undefined
    : await startKafkaBroker({ root, dataDir: mkdtempSync(join(tmpdir(), 'shuanglai-kafka-')), heapMb: 768, log });

  const infra: TestInfra = {
    runId,
    postgresUrl: postgres.url,
    kafkaBrokers: process.env.KAFKA_BROKERS ?? broker!.brokers,
    kafkaStartupMs: broker?.startupMs,
  };
  process.env.SHUANGLAI_TEST_INFRA = JSON.stringify(infra);
  // A broker other runs share may hold their topics: the final scan reads only the topics this run made.
  const before = new Set(broker ? [] : await brokerTopics(infra.kafkaBrokers));
  setTestInfra(
    async () => {
      await broker?.stop();
      await postgres.stop();
    },
    () => scanSuiteBroker(infra.kafkaBrokers, before),
  );
}
