import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICE_NAMES } from '@app/contracts';
import { databaseName, dropDatabase, withDatabase } from '@app/database';
import { descendants, freeKafkaPort, freePort, isListening, repoRoot } from '@app/embedded';
import { eventually, testInfra, testRegions } from '@app/testing';

const root = repoRoot();
const launcher = join(root, 'dist', 'scripts', 'start.js');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** `npm start`'s launcher (the built dist/scripts/start.js) as a child process in a process group of its own. */
class Launch {
  readonly child: ChildProcess;
  output = '';
  private readonly exited: Promise<number | null>;

  constructor(args: string[], env: Record<string, string>) {
    this.child = spawn(process.execPath, [launcher, ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  async running(timeoutMs = 240_000): Promise<void> {
    await eventually(
      async () => {
        if (this.child.exitCode !== null) throw new Error(`the launcher exited:\n${this.output}`);
        return this.output.includes('Ctrl-C stops everything.') ? true : undefined;
      },
      timeoutMs,
      () => `npm start running (output so far:\n${this.output})`,
    );
  }

  /** The token the launcher printed for a role in a region. */
  token(region: string, role: string): string {
    const line = this.output.split('\n').find((l) => l.trim().startsWith(`${region} `) && l.includes(` ${role} `));
    if (!line) throw new Error(`no ${role} token for ${region} in:\n${this.output}`);
    return line.trim().split(/\s+/)[2];
  }

  /** Ctrl-C in a terminal: SIGINT to the whole process group. */
  async interrupt(timeoutMs = 90_000): Promise<number | null> {
    process.kill(-this.child.pid!, 'SIGINT');
    const timer = setTimeout(() => this.kill(), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  kill(): void {
    for (const pid of [this.child.pid!, ...descendants(this.child.pid!)]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

/** The command lines of the launcher's descendants (one that ended meanwhile is left out). */
function nodeScripts(launch: Launch): string[] {
  return descendants(launch.child.pid!).flatMap((pid) => {
    try {
      return [readFileSync(`/proc/${pid}/cmdline`, 'utf8')];
    } catch {
      return [];
    }
  });
}

/**
 * What one test may take: start-up (`running`, up to 240 s: two Kafka clusters and MirrorMaker with --federated),
 * the mirrored probe (up to 60 s) and a clean stop (`interrupt`, up to 90 s). Jest's default 180 s is less than
 * those waits, so on a loaded machine a start that was still within its own budget was cut short.
 */
const START_TEST_TIMEOUT_MS = 420_000;

describe('npm start', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  const names = Object.values(regions.names);
  const dataDir = mkdtempSync(join(tmpdir(), 'shuanglai-start-'));
  // The suite's connection budget (README, "Database connections"): 3 per service, like every test service.
  const env: Record<string, string> = {
    DATABASE_URL: testInfra().postgresUrl,
    LOG_LEVEL: 'warn',
    DATABASE_POOL_SIZE: '3',
  };
  const ports: Record<string, Record<string, number>> = {};
  let consolePort: number;
  let current: Launch | undefined;

  beforeAll(async () => {
    consolePort = await freePort();
    env.CONSOLE_PORT = String(consolePort);
    if (!existsSync(launcher)) throw new Error(`${launcher} is missing: run npm run build first (npm test does)`);
    // Free ports for every service, written into this test's registry: `npm start` serves on the registry's ports.
    const registry = JSON.parse(readFileSync(regions.file, 'utf8')) as {
      regions: { name: string; ports?: Record<string, number> }[];
    };
    for (const region of registry.regions) {
      region.ports = {};
      for (const service of SERVICE_NAMES) region.ports[service] = await freePort();
      ports[region.name] = region.ports;
    }
    writeFileSync(regions.file, JSON.stringify(registry, null, 2));
    for (const [base, name] of Object.entries(regions.names)) {
      const key = readFileSync(join(root, 'config', 'dev-keys', `${base}.ed25519`), 'utf8').trim();
      env[`REGION_SIGNING_KEY_${name.toUpperCase().replace(/-/g, '_')}`] = key;
      env[`REGION_ENCRYPTION_KEY_${name.toUpperCase().replace(/-/g, '_')}`] = readFileSync(
        join(root, 'config', 'dev-keys', `${base}.x25519`),
        'utf8',
      ).trim();
    }
  });

  afterAll(async () => {
    current?.kill();
    await Promise.all(
      names.flatMap((name) =>
        SERVICE_NAMES.map((service) => dropDatabase(withDatabase(env.DATABASE_URL, databaseName(name, service)))),
      ),
    );
    rmSync(dataDir, { recursive: true, force: true });
  });

  const healthy = async (port: number) => (await fetch(`http://127.0.0.1:${port}/health`)).status;
  const probe = (port: number, token: string, body: object) =>
    fetch(`http://127.0.0.1:${port}/bus/probes`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const probesIn = async (port: number, token: string): Promise<string[]> => {
    const response = await fetch(`http://127.0.0.1:${port}/bus/probes?limit=1000`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    return ((await response.json()) as { stream: string }[]).map((p) => p.stream);
  };

  /** Stops the launcher as a terminal's Ctrl-C would, and checks that nothing it started is left. */
  async function stopCleanly(launch: Launch): Promise<void> {
    const started = descendants(launch.child.pid!);
    expect(started.length).toBeGreaterThan(0);
    expect(await launch.interrupt()).toBe(0);
    expect(launch.output).toContain('stopped');
    await eventually(async () => (started.some(alive) ? undefined : true), 10_000, 'every started process gone');
    for (const port of [...Object.values(ports).flatMap((p) => Object.values(p)), consolePort]) {
      expect(await isListening(port)).toBe(false);
    }
  }

  it(
    'starts Kafka and every service of both cities, prints tokens that work, and stops cleanly on Ctrl-C',
    async () => {
      const kafkaPort = await freeKafkaPort();
      current = new Launch(['--regions-file', regions.file, '--kafka-port', String(kafkaPort), '--data', dataDir], env);
      await current.running();

      for (const name of names) {
        for (const service of SERVICE_NAMES) expect(await healthy(ports[name][service])).toBe(200);
      }
      // By default a city's services share one process: two city processes serve every port.
      expect(nodeScripts(current).filter((script) => script.includes('scripts/city.js'))).toHaveLength(names.length);
      expect(await healthy(consolePort)).toBe(200);
      expect(current.output).toContain(`http://127.0.0.1:${consolePort}`);
      expect(current.output).toContain(`Kafka: 127.0.0.1:${kafkaPort}`);
      const [laixi, laiyang] = names;
      const sent = await probe(ports[laixi].talent, current.token(laixi, 'operator'), {
        count: 1,
        stream: 'first-run',
      });
      expect(sent.status).toBe(202);
      await eventually(async () =>
        (await probesIn(ports[laiyang].talent, current!.token(laiyang, 'operator'))).includes('first-run')
          ? true
          : undefined,
      );
      await stopCleanly(current);
    },
    START_TEST_TIMEOUT_MS,
  );

  it(
    '--federated --process-per-service: a cluster and a MirrorMaker per city, a process per service; reuses the data',
    async () => {
      const kafkaPort = await freeKafkaPort();
      current = new Launch(
        [
          '--regions-file',
          regions.file,
          '--kafka-port',
          String(kafkaPort),
          '--data',
          dataDir,
          '--federated',
          '--process-per-service',
        ],
        env,
      );
      await current.running();
      expect(current.output).toContain('MirrorMaker 2 pulling');
      const [laixi, laiyang] = names;
      expect(current.output).toContain(`${laixi} 127.0.0.1:${kafkaPort}, ${laiyang} 127.0.0.1:${kafkaPort + 1}`);
      // A process per service, and no city process.
      expect(nodeScripts(current).filter((script) => script.includes('scripts/city.js'))).toHaveLength(0);
      for (const service of SERVICE_NAMES) {
        const main = `apps/${service}/src/main.js`;
        expect(nodeScripts(current).filter((script) => script.includes(main))).toHaveLength(names.length);
      }

      const token = current.token(laiyang, 'operator');
      // The first run's probe is still in laiyang's database; a new one crosses through MirrorMaker.
      expect(await probesIn(ports[laiyang].talent, token)).toContain('first-run');
      const sent = await probe(ports[laixi].talent, current.token(laixi, 'operator'), { count: 1, stream: 'mirrored' });
      expect(sent.status).toBe(202);
      await eventually(
        async () => ((await probesIn(ports[laiyang].talent, token)).includes('mirrored') ? true : undefined),
        60_000,
        'the probe mirrored into laiyang',
      );
      await stopCleanly(current);
    },
    START_TEST_TIMEOUT_MS,
  );
});
