import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '@app/config';
import { repoRoot } from '@app/embedded';
import { ROLES, Role } from '@app/http';
import { AppModuleFactory } from '@app/platform';
import { TestService, startTestService, testRegions, testToken } from '@app/testing';
import { HealthRecordsAppModule } from '../apps/health-records/src/app.module';
import { LabResultsAppModule } from '../apps/lab-results/src/app.module';
import { LedgerAppModule } from '../apps/ledger/src/app.module';
import { PoliceAppModule } from '../apps/police/src/app.module';
import { TalentAppModule } from '../apps/talent/src/app.module';
import { loadTalentConfig } from '../apps/talent/src/config/talent-config';
import { talentConfigFile } from '../apps/talent/test/talent-fixtures';

/**
 * A hostile caller's walk over every operation of every service's OpenAPI document: malformed bodies, path and
 * query parameters, and tokens. Whatever it sends, the answer is a 4xx problem, never a 5xx; a bad token is refused.
 */

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  minimum?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  minItems?: number;
};
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  security?: unknown[];
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

interface Probe {
  label: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** The statuses this probe must get; by default any 4xx (or a success for a harmless value). */
  expect?: number[];
  /** A 2xx is acceptable (the value may be valid). */
  mayPass?: boolean;
}

interface Outcome {
  requests: number;
  serverErrors: string[];
  wrongStatus: string[];
  notProblem: string[];
}

const RESIDENT_ID = (
  JSON.parse(readFileSync(join(repoRoot(), 'libs', 'testing', 'fixtures', 'resident-ids.json'), 'utf8')) as {
    valid: { id: string }[];
  }
).valid[0].id;
const DEEP = 3000;
const NUL = 'a\u0000b';
/** Raw JSON text of a lone high surrogate (JSON.stringify would escape it the same way). */
const LONE_SURROGATE_JSON = '"x\\ud800y"';

const SERVICES: [string, (regions: ReturnType<typeof testRegions>) => AppModuleFactory][] = [
  ['health-records', () => (config) => HealthRecordsAppModule.register(config)],
  ['lab-results', () => (config) => LabResultsAppModule.register(config)],
  [
    'talent',
    (regions) => (config) =>
      TalentAppModule.register(
        config,
        loadTalentConfig(config.region, { TALENT_CONFIG_FILE: talentConfigFile(regions.names) }),
      ),
  ],
  ['police', () => (config) => PoliceAppModule.register(config)],
  ['ledger', () => (config) => LedgerAppModule.register(config)],
];

describe('the HTTP edge under hostile input', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  const totals: Record<string, Outcome> = {};

  afterAll(() => {
    const sum = Object.values(totals).reduce((a, o) => a + o.requests, 0);
    const fives = Object.values(totals).reduce((a, o) => a + o.serverErrors.length, 0);
    process.stderr.write(
      `[fuzz] ${sum} requests; 5xx: ${fives}; ` +
        Object.entries(totals)
          .map(
            ([name, o]) =>
              `${name}: ${o.requests} requests, ${o.serverErrors.length} 5xx, ${o.wrongStatus.length} wrong status, ` +
              `${o.notProblem.length} not problem+json`,
          )
          .join('; ') +
        '\n',
    );
  });

  it.each(SERVICES)(
    '%s answers every malformed request with a 4xx problem',
    async (service, module) => {
      const instance = await startTestService({
        service: service as 'talent',
        regions,
        region: 'laixi',
        appModule: module(regions),
        env: { DATABASE_POOL_SIZE: '5' },
      });
      try {
        const outcome = await walk(instance, regions.names.laiyang);
        totals[service] = outcome;
        expect({
          serverErrors: outcome.serverErrors,
          wrongStatus: outcome.wrongStatus,
          notProblem: outcome.notProblem,
        }).toEqual({ serverErrors: [], wrongStatus: [], notProblem: [] });
      } finally {
        await instance.close();
      }
    },
    600_000,
  );
});

async function walk(service: TestService, otherCity: string): Promise<Outcome> {
  const documentResponse = await fetch(`${service.url}/docs-json`);
  const document = (await documentResponse.json()) as OpenApi;
  const outcome: Outcome = { requests: 0, serverErrors: [], wrongStatus: [], notProblem: [] };
  const schemas = document.components?.schemas ?? {};
  const resolve = (schema: Schema | undefined): Schema => {
    if (!schema) return {};
    if (schema.$ref) return resolve(schemas[schema.$ref.split('/').pop()!]);
    if (schema.allOf) {
      return schema.allOf.map(resolve).reduce<Schema>(
        (merged, part) => ({
          ...merged,
          ...part,
          properties: { ...merged.properties, ...part.properties },
          required: [...(merged.required ?? []), ...(part.required ?? [])],
        }),
        {},
      );
    }
    return schema;
  };
  const sample = (name: string, raw: Schema | undefined, depth = 0): unknown => {
    const schema = resolve(raw);
    if (schema.example !== undefined && !/expires|until|effective|at$/i.test(name)) return schema.example;
    if (schema.enum) return schema.enum[0];
    if (/residentId/i.test(name)) return RESIDENT_ID;
    if (/requestId/i.test(name)) return `req-${randomUUID()}`;
    if (schema.type === 'string' && (schema.format === 'date-time' || /At$|Until$|From$/.test(name))) {
      return new Date(Date.now() + (/expires|until|effective|ends/i.test(name) ? 3600_000 : -3600_000)).toISOString();
    }
    if (schema.example !== undefined) return schema.example;
    if (schema.type === 'integer' || schema.type === 'number') return Math.max(schema.minimum ?? 1, 1);
    if (schema.type === 'boolean') return true;
    if (schema.type === 'array') {
      return depth > 4
        ? []
        : Array.from({ length: Math.max(schema.minItems ?? 1, 1) }, () => sample(name, schema.items, depth + 1));
    }
    if (schema.type === 'object' || schema.properties) {
      if (depth > 4 || !schema.properties) return {};
      return Object.fromEntries(
        Object.entries(schema.properties).map(([key, value]) => [key, sample(key, value, depth + 1)]),
      );
    }
    return 'fuzz';
  };

  const token = (role: Role, region = service.config.region) =>
    testToken({ ...service.config, region } as AppConfig, role, `${region}-${role}-fuzz`);
  const claimsOf = (jwt: string) =>
    JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
  const secret = service.config.jwt.kind === 'secret' ? service.config.jwt.secret : '';
  const signRaw = (claims: Record<string, unknown>) =>
    new JwtService().sign(Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined)), {
      secret,
      algorithm: 'HS256',
    });
  const now = Math.floor(Date.now() / 1000);

  const send = async (probe: Probe): Promise<{ status: number; type: string; body: unknown }> => {
    outcome.requests++;
    let response: { status: number; type: string; text: string };
    try {
      response = await exchange(`${service.url}${probe.path}`, probe);
    } catch (error) {
      outcome.serverErrors.push(
        `${probe.method.toUpperCase()} ${probe.path.slice(0, 120)} [${probe.label}] → ${String(error)}`,
      );
      return { status: 0, type: '', body: undefined };
    }
    const { type, text } = response;
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    const what = `${probe.method.toUpperCase()} ${probe.path.slice(0, 120)} [${probe.label}] → ${response.status}`;
    if (response.status >= 500) outcome.serverErrors.push(what);
    else if (probe.expect && !probe.expect.includes(response.status)) outcome.wrongStatus.push(what);
    else if (!probe.expect && !probe.mayPass && response.status < 400) outcome.wrongStatus.push(what);
    if (response.status >= 400 && !type.startsWith('application/problem+json')) outcome.notProblem.push(what);
    return { status: response.status, type, body };
  };

  for (const [template, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const parameters = operation.parameters ?? [];
      const pathOf = (overrides: Record<string, string> = {}, query = '') =>
        template.replace(/\{(\w+)\}/g, (_m, name: string) => overrides[name] ?? randomUUID()) + query;
      const bodySchema = operation.requestBody?.content['application/json']?.schema;
      const base = bodySchema ? sample('body', bodySchema) : undefined;
      const baseBody = base === undefined ? undefined : JSON.stringify(base);
      const secured = (operation.security ?? []).length > 0;

      // Which roles of this city the endpoint lets in (the role check answers 403 naming the role).
      const allowed: Role[] = [];
      if (secured) {
        for (const role of ROLES) {
          const answer = await send({
            label: `as ${role}`,
            method,
            path: pathOf(),
            headers: { Authorization: `Bearer ${token(role)}` },
            body: baseBody,
            mayPass: true,
          });
          const detail = (answer.body as { detail?: string } | undefined)?.detail ?? '';
          if (!(answer.status === 403 && detail.startsWith('Role '))) allowed.push(role);
        }
      }
      const role = allowed[0] ?? 'operator';
      const auth: Record<string, string> = secured ? { Authorization: `Bearer ${token(role)}` } : {};
      const probes: Probe[] = [];

      if (secured) {
        const valid = claimsOf(token(role));
        const tokens: [string, string | undefined, number[]][] = [
          ['no token', undefined, [401]],
          ['garbage token', 'not.a.jwt', [401]],
          ['expired token', signRaw({ ...valid, iat: now - 7200, exp: now - 3600 }), [401]],
          ['token without exp', signRaw({ ...valid, iat: now, exp: undefined }), [401]],
          ['token issued 10 years ahead', signRaw({ ...valid, iat: now + 315_360_000, exp: now + 315_363_600 }), [401]],
          ['token of another audience', signRaw({ ...valid, aud: 'someone-else' }), [401]],
          ['token of another issuer', signRaw({ ...valid, iss: 'https://idp.example' }), [401]],
          ['token of another city', token(role, otherCity), [403]],
        ];
        const refused = ROLES.find((r) => !allowed.includes(r));
        if (refused) tokens.push([`token of role ${refused}`, token(refused), [403]]);
        for (const [label, jwt, expected] of tokens) {
          probes.push({
            label,
            method,
            path: pathOf(),
            headers: jwt ? { Authorization: `Bearer ${jwt}` } : {},
            body: baseBody,
            expect: expected,
          });
        }
      }

      if (bodySchema) {
        const bodyProbe = (label: string, body: string, expect?: number[]): Probe => ({
          label,
          method,
          path: pathOf(),
          headers: auth,
          body,
          expect,
        });
        probes.push(bodyProbe('object nested 3000 deep', `${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}`, [400, 413]));
        probes.push(bodyProbe('array nested 3000 deep', `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`, [400, 413]));
        probes.push(bodyProbe('2 MB body', JSON.stringify({ ...(base as object), blob: 'x'.repeat(2 << 20) }), [413]));
        probes.push(bodyProbe('NUL in a key', JSON.stringify({ ...(base as object), 'k\u0000': 1 })));
        probes.push(bodyProbe('null body', 'null'));
        probes.push(bodyProbe('array body', '[]'));
        probes.push(bodyProbe('string body', '"x"'));

        const mutate = (path: string[], replacement: string, label: string, mayPass = false) => {
          // Splice raw JSON text in place of one field so that lone surrogates survive as written.
          const marker = `__fuzz_${randomUUID()}__`;
          const copy = structuredClone(base) as Record<string, unknown>;
          let target = copy;
          for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
          target[path[path.length - 1]] = marker;
          const body = JSON.stringify(copy).replace(`"${marker}"`, replacement);
          probes.push({ ...bodyProbe(`${path.join('.')}: ${label}`, body), mayPass });
        };
        const fields = (schema: Schema, prefix: string[], value: unknown, depth: number) => {
          const resolved = resolve(schema);
          for (const [key, property] of Object.entries(resolved.properties ?? {})) {
            const path = [...prefix, key];
            const field = resolve(property);
            const current = (value as Record<string, unknown> | undefined)?.[key];
            const example = typeof current === 'string' ? current : 'x';
            const numeric = field.type === 'number' || field.type === 'integer';
            const required = (resolved.required ?? []).includes(key);
            mutate(path, 'null', 'null', !required);
            mutate(path, JSON.stringify(`${example}\u0000`), 'NUL');
            mutate(path, LONE_SURROGATE_JSON, 'lone surrogate');
            mutate(path, JSON.stringify([example]), 'array', field.type === 'array');
            mutate(path, '{}', 'object', field.type === 'object');
            mutate(path, '12345', 'number', numeric);
            mutate(path, 'true', 'boolean', field.type === 'boolean');
            mutate(path, '3000000000', '3e9', numeric);
            mutate(path, '1e308', '1e308', numeric);
            mutate(path, '-1e308', '-1e308', numeric);
            mutate(path, '1.5', '1.5', field.type === 'number');
            mutate(path, JSON.stringify('x'.repeat(100_000)), '100k string', field.type === 'string');
            if (field.type === 'array') {
              mutate(path, '[null]', 'array of null');
              mutate(path, JSON.stringify([NUL]), 'array with NUL');
              mutate(path, `[${LONE_SURROGATE_JSON}]`, 'array with lone surrogate');
              mutate(path, JSON.stringify(Array.from({ length: 10_000 }, () => example)), '10k items', true);
            }
            if (depth < 2 && (field.properties || field.$ref) && current && typeof current === 'object') {
              fields(field, path, current, depth + 1);
            }
            if (depth < 2 && field.type === 'array' && Array.isArray(current) && typeof current[0] === 'object') {
              fields(field.items!, [...path, '0'], current[0], depth + 1);
            }
          }
        };
        if (base && typeof base === 'object') fields(bodySchema, [], base, 0);
        // The valid base itself, for coverage: it may pass or fail on state (404, 409): never 5xx.
        probes.push({ ...bodyProbe('base body', baseBody!), mayPass: true });
      }

      for (const parameter of parameters.filter((p) => p.in === 'path')) {
        for (const [label, value] of [
          ['NUL', '%00'],
          ['NUL inside', 'ab%00cd'],
          ['lone surrogate (invalid UTF-8)', '%ED%A0%80'],
          ['broken escape', '%E0%A4%A'],
          ['long', 'x'.repeat(5000)],
          ['negative', '-1'],
          ['huge number', '99999999999999999999999'],
          ['dots', '..%2F..%2Fetc'],
        ] as const) {
          probes.push({
            label: `path ${parameter.name}: ${label}`,
            method,
            path: pathOf({ [parameter.name]: value }),
            headers: auth,
            body: baseBody,
          });
        }
      }

      for (const parameter of parameters.filter((p) => p.in === 'query')) {
        const n = encodeURIComponent(parameter.name);
        for (const [label, query] of [
          ['NUL', `${n}=%00`],
          ['lone surrogate (invalid UTF-8)', `${n}=%ED%A0%80`],
          ['escaped lone surrogate', `${n}=%5Cud800`],
          ['repeated', `${n}=a&${n}=b`],
          ['nested', `${n}[a]=b`],
          ['long', `${n}=${'x'.repeat(5000)}`],
          ['1e308', `${n}=1e308`],
          ['negative', `${n}=-1`],
          ['huge integer', `${n}=99999999999999999999`],
        ] as const) {
          probes.push({
            label: `query ${parameter.name}: ${label}`,
            method,
            path: pathOf({}, `?${query}`),
            headers: auth,
            body: baseBody,
            mayPass: true,
          });
        }
      }

      await inBatches(probes, 6, send);
    }
  }
  return outcome;
}

/**
 * One request on a connection of its own (no keep-alive, so no race with the server closing an idle socket). An event
 * stream stays open: its status and headers are the answer.
 */
function exchange(url: string, probe: Probe): Promise<{ status: number; type: string; text: string }> {
  return new Promise((resolve, reject) => {
    const body = probe.body === undefined ? undefined : Buffer.from(probe.body, 'utf8');
    const req = httpRequest(
      url,
      {
        method: probe.method.toUpperCase(),
        agent: false,
        timeout: 60_000,
        headers: {
          ...(body && { 'Content-Type': 'application/json', 'Content-Length': String(body.length) }),
          ...probe.headers,
        },
      },
      (res) => {
        const type = res.headers['content-type'] ?? '';
        if (type.startsWith('text/event-stream')) {
          res.destroy();
          resolve({ status: res.statusCode ?? 0, type, text: '' });
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 60 s')));
    req.on('error', reject);
    req.end(body);
  });
}

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}
