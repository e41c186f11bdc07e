import { join } from 'node:path';
import { devJwtKey } from '@app/config';
import { PostgresServer, repoRoot } from '@app/embedded';
import { ROLES, signDevToken } from '@app/http';
import { Infrastructure, Launch } from './launches';

/** What is running where, with a token per city and role to try the APIs. */
export function printSummary(
  say: (line: string) => void,
  opts: { federated: boolean; dataDir: string },
  infra: Infrastructure,
  running: Launch[],
  postgres: PostgresServer,
): void {
  const { registry, regions } = infra;
  say('\nShuanglai Bus is running.\n');
  say('  region    service          URL                     API docs');
  for (const endpoint of running.flatMap((launch) => launch.endpoints)) {
    const url = `http://127.0.0.1:${endpoint.port}`;
    say(`  ${endpoint.region.padEnd(9)} ${endpoint.name.padEnd(16)} ${url.padEnd(23)} ${url}/docs`);
  }
  const kafka = opts.federated
    ? `${regions.map((region) => `${region} ${infra.kafka[region]}`).join(', ')}; MirrorMaker 2 in each city`
    : infra.kafka[regions[0]];
  say(`\n  Kafka: ${kafka}\n  PostgreSQL: ${redact(postgres.url)} (${postgres.origin})`);
  say(`  Logs:  ${join(opts.dataDir, 'logs')}/\n`);
  say('Bearer tokens for trying the APIs (valid 12 h; `npm run token -- <role> <region> [org]` makes more):');
  for (const region of regions) {
    for (const role of ROLES) {
      const token = signDevToken(
        { role, region, org: `${region}-${role}-dev`, sub: `dev:${role}` },
        { jwt: devJwtKey(process.env, repoRoot()), registry },
      );
      say(`  ${region.padEnd(9)} ${role.padEnd(12)} ${token}`);
    }
  }
  const console = running.flatMap((launch) => launch.endpoints).find((e) => e.name === 'operator console');
  if (console) {
    say(
      `\nOperator console: http://127.0.0.1:${console.port}: log in with ${regions[0]}'s operator token above ` +
        `(\`npm run -s token -- operator ${regions[0]}\` makes another).`,
    );
  }
  say('\nCtrl-C stops everything.');
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
