import { KeyObject, createPublicKey, createSecretKey } from 'node:crypto';
import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JWTPayload, JWTVerifyGetKey, createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { AppConfig, ConfigError, JwtKey, JwtPolicy } from '@app/config';
import { DomainError } from './domain.error';

/** What an identity provider's JWKS may sign with; HS256 is never taken from a key set. */
const JWKS_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'];

/**
 * Verifies bearer tokens with `jose`: the signature with the one algorithm the configured key allows (or those of
 * the IdP's JWKS), then `iss`, `aud`, `exp` (required), `nbf` and `iat` with a small clock skew, and the lifetime.
 */
@Injectable()
export class TokenVerifier {
  private readonly key: KeyObject | JWTVerifyGetKey;
  private readonly algorithms: string[];
  private readonly policy: JwtPolicy;

  // A Pick, so that the console can check its operators' login tokens exactly as the services check theirs.
  constructor(config: Pick<AppConfig, 'jwt'>) {
    this.policy = config.jwt;
    [this.key, this.algorithms] = verificationKey(config.jwt);
  }

  async verify(token: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<JWTPayload> {
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, this.key as KeyObject, {
        algorithms: this.algorithms,
        issuer: this.policy.issuer,
        audience: this.policy.audience,
        clockTolerance: this.policy.clockSkewSeconds,
        requiredClaims: ['exp'],
        currentDate: new Date(nowSeconds * 1000),
      }));
    } catch (error) {
      throw verificationError(error);
    }
    const problem = lifetimeProblem(claims, this.policy, nowSeconds);
    if (problem) throw new UnauthorizedException(`The bearer token is invalid: ${problem}`);
    return claims;
  }
}

/** Why a token's times are unacceptable (already past its `exp` and `nbf` checks), or undefined. */
export function lifetimeProblem(
  claims: Pick<JWTPayload, 'exp' | 'iat'>,
  policy: Pick<JwtPolicy, 'maxLifetimeSeconds' | 'clockSkewSeconds'>,
  nowSeconds: number,
): string | undefined {
  if (typeof claims.exp !== 'number') return 'it has no exp';
  if (claims.iat !== undefined && claims.iat > nowSeconds + policy.clockSkewSeconds)
    return 'it is issued in the future';
  const issued = claims.iat ?? nowSeconds;
  if (claims.exp - issued > policy.maxLifetimeSeconds) {
    return `it lives longer than the ${policy.maxLifetimeSeconds} s a token may`;
  }
  return undefined;
}

function verificationError(error: unknown): Error {
  if (error instanceof errors.JWTExpired) return new UnauthorizedException('The bearer token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new UnauthorizedException(`The bearer token is invalid: ${error.message}`);
  }
  if (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    !(error instanceof errors.JOSEError)
  ) {
    // The IdP's key set could not be fetched or read: not the caller's fault.
    return new DomainError('AUTH.IDP_UNAVAILABLE', 'unavailable', "The identity provider's key set cannot be read", {
      cause: error,
    });
  }
  return new UnauthorizedException('The bearer token is invalid');
}

function verificationKey(jwt: JwtKey): [KeyObject | JWTVerifyGetKey, string[]] {
  switch (jwt.kind) {
    case 'secret':
      return [createSecretKey(Buffer.from(jwt.secret, 'utf8')), ['HS256']];
    case 'public-key': {
      const key = createPublicKey(jwt.publicKey);
      return [key, [algorithmFor(key)]];
    }
    case 'jwks':
      return [createRemoteJWKSet(new URL(jwt.jwksUrl), { timeoutDuration: 5000 }), JWKS_ALGORITHMS];
  }
}

function algorithmFor(key: KeyObject): string {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  throw new ConfigError('AUTH_JWT_PUBLIC_KEY must be an RSA (RS256), P-256 (ES256) or Ed25519 (EdDSA) public key');
}
