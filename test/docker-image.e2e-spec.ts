import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative } from 'node:path';
import dockerignore from '@balena/dockerignore';
import { Copy, DockerfileParser, Env, From, Instruction } from 'dockerfile-ast';
import { DEV_JWT_SECRET, devJwtKey } from '@app/config';
import { RegionRegistry, SERVICE_NAMES, signingKeyId } from '@app/contracts';
import { databaseName, dropDatabase, withDatabase } from '@app/database';
import { SERVICE_NODE_FLAGS, freePort, repoRoot } from '@app/embedded';
import { signDevToken } from '@app/http';
import { eventually, testInfra, testRegions } from '@app/testing';

const root = repoRoot();
const BUILD_WORKDIR = '/app';

/** What the runtime stage of docker/Dockerfile leaves behind, played into a folder instead of an image. */
interface PlayedStage {
  /** The temporary folder standing for the image's file system. */
  fs: string;
  /** Its WORKDIR, where the command runs. */
  dir: string;
  env: Record<string, string>;
  user?: string;
  cmd: string[];
}

interface Stage {
  from: From;
  instructions: Instruction[];
}

function stages(): Stage[] {
  const dockerfile = DockerfileParser.parse(readFileSync(join(root, 'docker', 'Dockerfile'), 'utf8'));
  const result: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction instanceof From) result.push({ from: instruction, instructions: [] });
    else result.at(-1)?.instructions.push(instruction);
  }
  return result;
}

/** The build context as `docker build .` sends it: the repository minus what .dockerignore names. */
function contextFilter(): (path: string) => boolean {
  const rules = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
  return dockerignore().add(rules).createFilter();
}

/**
 * Plays the image's last stage into a temporary folder: COPY from the build context (filtered by .dockerignore) or
 * from the build stage (whose /app is this repository after `npm run build`), RUN of `npm ci` as written, ENV, USER
 * and CMD recorded. Any other instruction stops the test: the simulation must not silently differ from the image.
 */
function playRuntimeStage(stage: Stage, buildStage: string): PlayedStage {
  const dir = mkdtempSync(join(tmpdir(), 'shuanglai-image-'));
  const inContext = contextFilter();
  const played: PlayedStage = { fs: dir, dir, env: {}, cmd: [] };
  let workdir = '/';
  const target = (path: string) => join(dir, posix.resolve(workdir, path));
  for (const instruction of stage.instructions) {
    const keyword = instruction.getKeyword();
    const args = instruction.getArguments().map((arg) => arg.getValue());
    switch (keyword) {
      case 'WORKDIR':
        workdir = posix.resolve(workdir, args[0]);
        mkdirSync(target('.'), { recursive: true });
        break;
      case 'ENV':
        for (const property of (instruction as Env).getProperties()) {
          played.env[property.getName()] = property.getValue() ?? '';
        }
        break;
      case 'COPY': {
        const from = (instruction as Copy).getFromFlag()?.getValue();
        if (from !== undefined && from !== buildStage) throw new Error(`COPY --from=${from}: unknown stage`);
        const destination = args.at(-1)!;
        const sources = args.slice(0, -1);
        for (const source of sources) {
          let path: string;
          if (from) {
            if (!source.startsWith(`${BUILD_WORKDIR}/`))
              throw new Error(`COPY --from=${from} ${source}: not under /app`);
            path = source.slice(BUILD_WORKDIR.length + 1);
          } else {
            path = source;
            if (!inContext(path)) throw new Error(`COPY ${source}: .dockerignore leaves it out of the context`);
          }
          const into =
            destination.endsWith('/') || sources.length > 1
              ? posix.join(destination, posix.basename(path))
              : destination;
          const isDirectory = statSync(join(root, path)).isDirectory();
          mkdirSync(dirname(target(into)), { recursive: true });
          cpSync(join(root, path), isDirectory ? target(destination) : target(into), {
            recursive: true,
            // From the context only what .dockerignore lets in; from the build stage, what it built.
            filter: (file) => from !== undefined || inContext(relative(root, file) || '.'),
          });
        }
        break;
      }
      case 'RUN':
        for (const command of instruction
          .getArgumentsContent()!
          .split('&&')
          .map((part) => part.trim())) {
          if (command === 'npm cache clean --force') continue; // the image's own cache; never this machine's
          if (!/^npm ci( --[a-z-]+(=\w+)?)*$/.test(command)) throw new Error(`RUN ${command}: not simulated`);
          // From this machine's npm cache (npm ci has just filled it): the same packages, without the network round trips.
          const offline = ['--prefer-offline', '--no-audit', '--no-fund'];
          execFileSync('npm', [...command.split(' ').slice(1), ...offline], {
            cwd: target('.'),
            stdio: 'pipe',
            timeout: 600_000,
          });
        }
        break;
      case 'USER':
        played.user = args[0];
        break;
      case 'CMD':
        played.cmd = JSON.parse(instruction.getArgumentsContent()!) as string[];
        break;
      default:
        throw new Error(`${keyword}: the runtime stage's simulation does not know this instruction`);
    }
  }
  played.dir = target('.');
  return played;
}

function filesUnder(dir: string, skip: (path: string) => boolean = () => false): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => !skip(path))
    .filter((path) => statSync(join(dir, path)).isFile());
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

/**
 * There is no Docker engine here, so the image is checked by playing its runtime stage: its files, its production
 * dependencies (`npm ci --omit=dev`), its user, and its command run against real PostgreSQL and Kafka. What only an
 * engine can show (the base image, file ownership, the build stage on a clean machine) is not covered.
 */
describe('docker/Dockerfile, played without an engine', () => {
  const all = stages();
  const [build, runtime] = [all[0], all.at(-1)!];
  let image: PlayedStage;

  beforeAll(() => {
    if (!existsSync(join(root, 'dist', 'scripts', 'city.js')))
      throw new Error('dist is missing: run npm run build first');
    image = playRuntimeStage(runtime, build.from.getBuildStage()!);
  }, 900_000);

  afterAll(() => {
    if (image) rmSync(image.fs, { recursive: true, force: true });
  });

  it('builds with the dev dependencies in one stage and runs with production ones, as a user who is not root', () => {
    expect(all).toHaveLength(2);
    const commands = (stage: Stage) =>
      stage.instructions.filter((i) => i.getKeyword() === 'RUN').map((i) => i.getArgumentsContent());
    expect(commands(build)).toEqual(['npm ci', 'npm run build']);
    expect(commands(runtime)).toEqual(['npm ci --omit=dev --ignore-scripts && npm cache clean --force']);
    expect(image.user).toBeDefined();
    expect(['root', '0']).not.toContain(image.user!.split(':')[0]);
    expect(image.env.NODE_ENV).toBe('production');
    expect(image.env.HOST).toBe('0.0.0.0');
    expect(image.cmd).toEqual(['node', ...SERVICE_NODE_FLAGS, 'dist/scripts/city.js']);
  });

  it('holds no devDependency: what only development needs is not installed', () => {
    const manifest = JSON.parse(readFileSync(join(image.dir, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const lock = JSON.parse(readFileSync(join(image.dir, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const devOnly = Object.keys(manifest.devDependencies).filter((name) => lock.packages[`node_modules/${name}`]?.dev);
    expect(devOnly).toEqual(expect.arrayContaining(['class-validator-jsonschema', 'jest', 'typescript']));
    expect(devOnly.filter((name) => existsSync(join(image.dir, 'node_modules', name)))).toEqual([]);
    expect(existsSync(join(image.dir, 'node_modules', '@nestjs', 'core'))).toBe(true);
  });

  it('holds no development key or secret file', () => {
    const keys = readdirSync(join(root, 'config', 'dev-keys'))
      .filter((file) => file.endsWith('.ed25519'))
      .map((file) => readFileSync(join(root, 'config', 'dev-keys', file), 'utf8').trim());
    expect(keys.length).toBeGreaterThan(1);
    const files = filesUnder(image.dir, (path) => path.startsWith('node_modules'));
    expect(files.filter((path) => /(^|\/)(dev-keys\/|\.env$)|\.(ed25519|pem|key)$/.test(path))).toEqual([]);
    const leaking = files.filter((path) => {
      const text = readFileSync(join(image.dir, path), 'utf8');
      return keys.some((key) => text.includes(key));
    });
    expect(leaking).toEqual([]);
    // .dockerignore keeps them out of the build context too, so no `COPY . .` could bring them back.
    const inContext = contextFilter();
    expect(['config/dev-keys/laixi.ed25519', 'config/dev-keys', '.env', 'config/regions.json'].map(inContext)).toEqual([
      false,
      false,
      false,
      true,
    ]);
  });

  it("loads every service's entry point, the city's and the console's with production dependencies only", async () => {
    const entries = [
      ...SERVICE_NAMES.map((service) => `dist/apps/${service}/src/main.js`),
      'dist/apps/console/src/main.js',
      'dist/scripts/city.js',
    ];
    for (const entry of entries) {
      // Without REGION or OPERATOR_TOKENS: every module is loaded, then the configuration is refused (exit 2).
      const child = spawn(process.execPath, [entry], {
        cwd: image.dir,
        env: { PATH: process.env.PATH, ...image.env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await exited(child);
      expect([entry, code, stderr]).toEqual([entry, 2, expect.stringMatching(/invalid configuration/)]);
    }
  });

  it('runs its command against PostgreSQL and Kafka with keys and secrets from the environment: /health is 200, the console logs in', async () => {
    const regions = testRegions(['laixi', 'laiyang']);
    const { laixi } = regions.names;
    // The registry is configuration a deployment gives the image; here with free ports for laixi's services.
    const registryFile = JSON.parse(readFileSync(regions.file, 'utf8')) as {
      regions: { name: string; ports?: object; keys: object[] }[];
    };
    const ports = await Promise.all(SERVICE_NAMES.map(() => freePort()));
    const laixiEntry = registryFile.regions.find((region) => region.name === laixi)!;
    laixiEntry.ports = Object.fromEntries(SERVICE_NAMES.map((service, i) => [service, ports[i]]));
    // The image listens on every interface (HOST=0.0.0.0), where development keys are refused: a key of its own.
    const signing = generateKeyPairSync('ed25519');
    laixiEntry.keys.push({
      kid: signingKeyId(signing.publicKey),
      publicKey: signing.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
      notBefore: '2025-01-01T00:00:00Z',
    });
    // And an encryption key of its own, which personal data meant for laixi alone is sealed to.
    const encryption = generateKeyPairSync('x25519');
    (laixiEntry as { encryptionKey?: object }).encryptionKey = {
      publicKey: encryption.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    };
    writeFileSync(regions.file, JSON.stringify(registryFile));
    const registry = RegionRegistry.fromFile(regions.file);

    const infra = testInfra();
    const secret = randomBytes(32).toString('hex');
    const env = {
      PATH: process.env.PATH,
      ...image.env,
      REGION: laixi,
      REGIONS_FILE: regions.file,
      DATABASE_URL: infra.postgresUrl,
      KAFKA_BROKERS: infra.kafkaBrokers,
      LOG_LEVEL: 'warn',
      HEARTBEAT_INTERVAL_MS: '60000',
      AUTH_JWT_SECRET: secret,
      PSEUDONYM_SECRET: randomBytes(32).toString('hex'),
      REGION_SIGNING_KEY: signing.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      REGION_ENCRYPTION_KEY: encryption.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    };
    expect(env.AUTH_JWT_SECRET).not.toBe(DEV_JWT_SECRET);
    const city = spawn(process.execPath, image.cmd.slice(1), {
      cwd: image.dir,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let cityErrors = '';
    city.stderr.on('data', (chunk: Buffer) => (cityErrors += chunk.toString()));

    const token = (region: string) =>
      signDevToken(
        { role: 'operator', region, org: `${region}-ops`, ttlSeconds: 600 },
        { jwt: devJwtKey({ AUTH_JWT_SECRET: secret }), registry },
      );
    const consolePort = await freePort();
    const console = spawn(process.execPath, ['dist/apps/console/src/main.js'], {
      cwd: image.dir,
      env: {
        ...env,
        PORT: String(consolePort),
        CONSOLE_REGION: laixi,
        OPERATOR_TOKENS: JSON.stringify(Object.fromEntries(registry.names.map((region) => [region, token(region)]))),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      for (const port of ports) {
        await eventually(
          async () => ((await fetch(`http://127.0.0.1:${port}/health`)).status === 200 ? true : undefined),
          120_000,
          () => `/health 200 on ${port}${cityErrors ? `; stderr: ${cityErrors}` : ''}`,
        );
      }
      const consoleUrl = `http://127.0.0.1:${consolePort}`;
      await eventually(async () => ((await fetch(`${consoleUrl}/health`)).ok ? true : undefined), 60_000);
      await expect(fetch(consoleUrl).then((response) => response.text())).resolves.toContain('id="login"');
      const login = await fetch(`${consoleUrl}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: consoleUrl },
        body: JSON.stringify({ token: token(laixi) }),
      });
      expect(login.status).toBe(201);
      const cookie = login.headers.get('set-cookie')!.split(';')[0];
      // The console in the image asks the city in the image, with the operator tokens it was given.
      await eventually(async () => {
        const state = (await (await fetch(`${consoleUrl}/api/state`, { headers: { cookie } })).json()) as {
          snapshot: { nodes: { region: string; healthy: boolean }[] };
        };
        const mine = state.snapshot.nodes.filter((node) => node.region === laixi);
        return mine.length === SERVICE_NAMES.length && mine.every((node) => node.healthy) ? true : undefined;
      }, 60_000);
    } finally {
      console.kill('SIGTERM');
      city.kill('SIGTERM');
      await Promise.all([exited(console), exited(city)]);
      for (const service of SERVICE_NAMES) {
        await dropDatabase(withDatabase(infra.postgresUrl, databaseName(laixi, service)));
      }
    }
  });
});
