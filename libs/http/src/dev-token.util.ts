import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '@app/config';
import { ROLES, Role, isRole } from './principal.model';

export interface DevTokenRequest {
  role: Role;
  region: string;
  org: string;
  sub?: string;
  /** Defaults to 12 hours, or the longest a token may live when that is shorter. */
  ttlSeconds?: number;
}

/**
 * Signs a bearer token the running stack accepts, with its shared secret and the `iss`, `aud`, `iat` and `exp` it
 * checks; production tokens come from the IdP.
 */
export function signDevToken(request: DevTokenRequest, config: Pick<AppConfig, 'jwt' | 'registry'>): string {
  if (config.jwt.kind !== 'secret') {
    throw new Error(
      'Cannot sign a token: AUTH_JWT_PUBLIC_KEY or AUTH_JWKS_URL is configured, so tokens come from the identity ' +
        'provider (unset it to use AUTH_JWT_SECRET or the development secret)',
    );
  }
  const { role, region, org, sub, ttlSeconds = Math.min(12 * 60 * 60, config.jwt.maxLifetimeSeconds) } = request;
  if (!isRole(role)) throw new Error(`role must be one of ${ROLES.join(', ')}; got '${String(role)}'`);
  if (!config.registry.has(region)) {
    throw new Error(`region must be one of ${config.registry.names.join(', ')}; got '${region}'`);
  }
  if (org === '') throw new Error('org must name an organisation');
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new Error('ttlSeconds must be a positive whole number');
  if (ttlSeconds > config.jwt.maxLifetimeSeconds) {
    throw new Error(`ttlSeconds must be at most ${config.jwt.maxLifetimeSeconds} (AUTH_JWT_MAX_LIFETIME_SECONDS)`);
  }

  return new JwtService().sign(
    { role, region, org, ...(sub !== undefined && { sub }) },
    {
      secret: config.jwt.secret,
      algorithm: 'HS256',
      expiresIn: ttlSeconds,
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
    },
  );
}
