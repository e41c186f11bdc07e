/**
 * `npm run kafka`: runs the embedded single-node Kafka (KRaft) in the foreground until Ctrl-C.
 * `npm run kafka -- fetch` only fetches the artifacts. Options: --port N (default 9092), --data DIR.
 */
import { join, resolve } from 'node:path';
import { ensureKafkaArtifacts, repoRoot, startKafkaBroker } from '@app/embedded';

async function main(): Promise<void> {
  const root = repoRoot();
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const log = (line: string) => process.stdout.write(`${line}\n`);
  if (args[0] === 'fetch') {
    const { version, libs } = await ensureKafkaArtifacts(root, log);
    log(`Apache Kafka ${version} artifacts in ${libs}`);
    return;
  }
  const broker = await startKafkaBroker({
    root,
    dataDir: resolve(option('--data') ?? join(root, '.data', 'kafka')),
    port: Number(option('--port') ?? 9092),
    controllerPort: Number(option('--controller-port') ?? 9192),
    log,
  });
  log(`KAFKA_BROKERS=${broker.brokers} (pid ${broker.pid}, log ${broker.logFile}); Ctrl-C stops it`);
  const stop = () => void broker.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
