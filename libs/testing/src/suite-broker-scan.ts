import { Kafka, logLevel } from 'kafkajs';
import { ClearIdentifierOnBroker, scanBrokerForClearIdentifiers } from './broker-scan';

/** In the region names of a test that writes clear identifiers to the broker on purpose (`testRegions(…, { rogue })`). */
export const ROGUE_MARK = 'rogue-';

/** A topic of rogue test regions (its origin region's name carries the mark): the suite-wide scan leaves it out. */
export function isRogueTopic(topic: string): boolean {
  return topic.split('.')[0].includes(`-${ROGUE_MARK}`);
}

/** The broker's topics when the run begins: on a broker other runs share, the suite scans only the ones it made. */
export async function brokerTopics(brokers: string): Promise<string[]> {
  const admin = new Kafka({
    clientId: 'suite-broker-scan',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    return await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}

/**
 * After the whole suite: every message of every topic the run made, but the rogue tests', holds no clear identifier.
 * Throws (failing the run) naming each message's topic, offset, type and field paths, never the value. Bounded by
 * `SUITE_BROKER_SCAN_TIMEOUT_MS` (default 180 s): a scan that cannot finish fails the run rather than hold it.
 */
export async function scanSuiteBroker(brokers: string, before: ReadonlySet<string>): Promise<void> {
  const timeoutMs = Number(process.env.SUITE_BROKER_SCAN_TIMEOUT_MS ?? 180_000);
  const started = Date.now();
  const found: ClearIdentifierOnBroker[] = await scanBrokerForClearIdentifiers({
    brokers,
    topics: (topic) => !before.has(topic) && !isRogueTopic(topic),
    timeoutMs,
  });
  process.stderr.write(`[test infra] broker scan for clear identifiers: ${Date.now() - started} ms\n`);
  if (found.length === 0) return;
  const lines = found.map(
    (m) =>
      `  ${m.topic}[${m.partition}]@${m.offset} ${m.type ?? '(no type)'}: ` +
      m.findings.map((f) => `${f.path} (${f.kinds.join(', ')})`).join('; '),
  );
  throw new Error(`clear identifiers on the test broker, in ${found.length} messages:\n${lines.join('\n')}`);
}
