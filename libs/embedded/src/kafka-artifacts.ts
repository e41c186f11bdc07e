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

/** The Kafka version the repo pins, read from tools/kafka/pom.xml so that the pom stays the one place. */
export function pinnedKafkaVersion(root: string): string {
  const pom = readFileSync(join(root, 'tools', 'kafka', 'pom.xml'), 'utf8');
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom);
  if (!match) throw new Error('tools/kafka/pom.xml has no <kafka.version>');
  return match[1];
}

/**
 * Fetches the official Apache Kafka artifacts from Maven Central (once; cached in the git-ignored .cache folder)
 * with Maven and the repo's pom. A `.complete` marker makes an interrupted fetch start over instead of
 * leaving a half-filled classpath behind.
 */
export async function ensureKafkaArtifacts(
  root: string,
  log: (line: string) => void = () => {},
): Promise<KafkaArtifacts> {
  const version = pinnedKafkaVersion(root);
  const home = join(root, '.cache', `kafka-${version}`);
  const libs = join(home, 'libs');
  if (existsSync(join(home, '.complete'))) return { version, libs };

  log(`fetching Apache Kafka ${version} from Maven Central (once) ...`);
  const staging = join(root, '.cache', `kafka-${version}.${process.pid}.partial`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    await exec(
      'mvn',
      [
        '-q',
        '-B',
        '-f',
        join(root, 'tools', 'kafka', 'pom.xml'),
        'dependency:copy-dependencies',
        '-DincludeScope=runtime',
        `-DoutputDirectory=${join(staging, 'libs')}`,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    const output = (error as { stdout?: string; stderr?: string }).stdout ?? '';
    throw new Error(
      `Maven could not fetch the Kafka artifacts (is 'mvn' on PATH and Maven Central reachable?)\n${output}`,
    );
  }
  writeFileSync(join(staging, '.complete'), new Date().toISOString());
  if (existsSync(join(home, '.complete'))) {
    // Another process finished the same fetch first; its copy is as good as ours.
    rmSync(staging, { recursive: true, force: true });
  } else {
    rmSync(home, { recursive: true, force: true });
    renameSync(staging, home);
  }
  return { version, libs };
}
