import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface KafkaArtifacts {
  version: string;
  /** Folder holding the broker's jar closure: use as `-cp '<libs>/*'`. */
  libs: string;
}

/** A version property of one of the repo's poms (tools/<tool>/pom.xml), so that the pom stays the one place. */
function pinnedVersion(root: string, tool: string, property: string): string {
  const pom = readFileSync(join(root, 'tools', tool, 'pom.xml'), 'utf8');
  const match = new RegExp(`<${property.replace(/\./g, '\\.')}>([^<]+)</${property.replace(/\./g, '\\.')}>`).exec(pom);
  if (!match) throw new Error(`tools/${tool}/pom.xml has no <${property}>`);
  return match[1];
}

/** The Kafka version the repo pins, read from tools/kafka/pom.xml. */
export function pinnedKafkaVersion(root: string): string {
  return pinnedVersion(root, 'kafka', 'kafka.version');
}

/**
 * Fetches the official Apache Kafka artifacts from Maven Central (once; cached in the git-ignored .cache folder)
 * with Maven and the repo's pom.
 */
export async function ensureKafkaArtifacts(
  root: string,
  log: (line: string) => void = () => {},
): Promise<KafkaArtifacts> {
  const version = pinnedKafkaVersion(root);
  const home = join(root, '.cache', `kafka-${version}`);
  await ensureMavenClosure(root, 'kafka', `Apache Kafka ${version}`, home, 'libs', log);
  return { version, libs: join(home, 'libs') };
}

export interface DebeziumArtifacts {
  version: string;
  /** A Kafka Connect `plugin.path` holding Debezium's PostgreSQL connector (and its outbox event router). */
  pluginPath: string;
}

/** Debezium's PostgreSQL connector from Maven Central (tools/debezium/pom.xml), for the benchmark's peer. */
export async function ensureDebeziumArtifacts(
  root: string,
  log: (line: string) => void = () => {},
): Promise<DebeziumArtifacts> {
  const version = pinnedVersion(root, 'debezium', 'debezium.version');
  const home = join(root, '.cache', `debezium-${version}`);
  const plugin = join('plugins', 'debezium-connector-postgres');
  await ensureMavenClosure(root, 'debezium', `Debezium ${version}`, home, plugin, log);
  return { version, pluginPath: join(home, 'plugins') };
}

/**
 * Copies the runtime closure of tools/<tool>/pom.xml into `<home>/<folder>` (once). A `.complete` marker makes an
 * interrupted fetch start over instead of leaving a half-filled classpath behind.
 */
async function ensureMavenClosure(
  root: string,
  tool: string,
  what: string,
  home: string,
  folder: string,
  log: (line: string) => void,
): Promise<void> {
  if (existsSync(join(home, '.complete'))) return;

  log(`fetching ${what} from Maven Central (once) ...`);
  const staging = `${home}.${process.pid}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    await exec(
      'mvn',
      [
        '-q',
        '-B',
        '-f',
        join(root, 'tools', tool, 'pom.xml'),
        'dependency:copy-dependencies',
        '-DincludeScope=runtime',
        `-DoutputDirectory=${join(staging, folder)}`,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    const output = (error as { stdout?: string; stderr?: string }).stdout ?? '';
    throw new Error(`Maven could not fetch ${what} (is 'mvn' on PATH and Maven Central reachable?)\n${output}`);
  }
  writeFileSync(join(staging, '.complete'), new Date().toISOString());
  if (existsSync(join(home, '.complete'))) {
    // Another process finished the same fetch first; its copy is as good as ours.
    rmSync(staging, { recursive: true, force: true });
  } else {
    rmSync(home, { recursive: true, force: true });
    renameSync(staging, home);
  }
}
