/**
 * `npm run demo`: drives the demo scenario against the running stack (`npm start`) through the public HTTP APIs
 * only, printing what happens at each step. Tokens are signed with the stack's development secret (or
 * AUTH_JWT_SECRET); services are found from the region registry (REGIONS_FILE) and SERVICE_URL_TEMPLATE
 * (`http://127.0.0.1:{port}`). Exit code 0 when every step was done, 1 otherwise.
 */
import 'reflect-metadata';
import { resolve } from 'node:path';
import { devJwtKey } from '@app/config';
import { RegionRegistry } from '@app/contracts';
import { repoRoot } from '@app/embedded';
import { devTokens } from './demo/demo-client';
import { runDemo } from './demo/demo-scenario';

async function main(): Promise<void> {
  const registry = RegionRegistry.fromFile(resolve(repoRoot(), process.env.REGIONS_FILE ?? 'config/regions.json'));
  const template = process.env.SERVICE_URL_TEMPLATE ?? 'http://127.0.0.1:{port}';
  const report = await runDemo({
    registry,
    urlOf: (region, service) =>
      template
        .replaceAll('{region}', region)
        .replaceAll('{service}', service)
        .replaceAll('{port}', String(registry.port(region, service))),
    tokenOf: devTokens(registry, devJwtKey(process.env)),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  process.exitCode = report.ok ? 0 : 1;
}

void main();
