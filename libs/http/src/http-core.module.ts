import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AppConfig } from '@app/config';
import { AuthGuard } from './auth.guard';
import { OwnCityGuard } from './own-city.guard';
import { ProblemDetailsFilter } from './problem-details.filter';
import { TokenVerifier } from './token-verifier';
import { createValidationPipe } from './validation.pipe';

/**
 * The HTTP edge every service shares: bearer-token authentication, one city's callers only, RFC 9457 errors and
 * strict validation. Expects `AppConfig` from a global module.
 */
@Module({
  providers: [
    { provide: TokenVerifier, inject: [AppConfig], useFactory: (config: AppConfig) => new TokenVerifier(config) },
    // In this order: who the caller is, then whether the caller is of this city.
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: OwnCityGuard },
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
})
export class HttpCoreModule {}
