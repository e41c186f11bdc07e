import { KeyObject, createPublicKey, createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { JwtModule, JwtModuleOptions } from '@nestjs/jwt';
import { AppConfig, ConfigError } from '@app/config';
import { AuthGuard } from './auth.guard';
import { ProblemDetailsFilter } from './problem-details.filter';
import { createValidationPipe } from './validation.pipe';

/**
 * The HTTP edge every service shares: bearer-token authentication, RFC 9457 errors and strict validation.
 * Expects `AppConfig` from a global module.
 */
@Module({
  imports: [JwtModule.registerAsync({ inject: [AppConfig], useFactory: jwtModuleOptions })],
  providers: [
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
})
export class HttpCoreModule {}

/**
 * Pins the one algorithm the configured key allows, so a token cannot choose how it is checked. Keys are parsed
 * once: given a string, jsonwebtoken tries to parse it as a public key on every request (a few % of CPU).
 */
export function jwtModuleOptions(config: Pick<AppConfig, 'jwt'>): JwtModuleOptions {
  if (config.jwt.kind === 'secret') {
    return {
      secret: createSecretKey(Buffer.from(config.jwt.secret, 'utf8')),
      signOptions: { algorithm: 'HS256' },
      verifyOptions: { algorithms: ['HS256'] },
    };
  }
  const publicKey = createPublicKey(config.jwt.publicKey);
  return { publicKey, verifyOptions: { algorithms: [algorithmFor(publicKey)] } };
}

function algorithmFor(key: KeyObject): 'RS256' | 'ES256' {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  if (key.asymmetricKeyType === 'ed25519') {
    // jsonwebtoken 9 (under @nestjs/jwt) has no EdDSA; fail at boot rather than refuse every token.
    throw new ConfigError(
      'AUTH_JWT_PUBLIC_KEY is an Ed25519 key, but EdDSA tokens cannot be verified yet; use RSA or P-256',
    );
  }
  throw new ConfigError('AUTH_JWT_PUBLIC_KEY must be an RSA (RS256) or P-256 (ES256) public key');
}
