/**
 * `npm run token -- <role> <region> [org]`: prints a bearer token the running stack accepts, signed with its
 * development secret (or AUTH_JWT_SECRET / AUTH_JWT_SECRET_FILE when set), with the issuer and audience the services
 * check (AUTH_JWT_ISSUER, AUTH_JWT_AUDIENCE). Production tokens come from the bureau's identity provider.
 */
import 'reflect-metadata';
import { resolve } from 'node:path';
import { devJwtKey } from '@app/config';
import { RegionRegistry } from '@app/contracts';
import { repoRoot } from '@app/embedded';
import { ROLES, Role, signDevToken } from '@app/http';

function main(): void {
  const [role, region, org] = process.argv.slice(2);
  if (!role || !region) {
    process.stderr.write(`usage: npm run token -- <role> <region> [org]\n  role: ${ROLES.join(' | ')}\n`);
    process.exit(2);
  }
  const registry = RegionRegistry.fromFile(resolve(repoRoot(), process.env.REGIONS_FILE ?? 'config/regions.json'));
  const token = signDevToken(
    { role: role as Role, region, org: org ?? `${region}-${role}-dev`, sub: `dev:${role}` },
    { jwt: devJwtKey(process.env, repoRoot()), registry },
  );
  process.stdout.write(`${token}\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
