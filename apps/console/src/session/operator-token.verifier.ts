import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { Principal } from '@app/http';
import { ConsoleConfig } from '../console.config';

/**
 * Checks a login token with the key and algorithm the services check bearer tokens with (`jwtModuleOptions`), then
 * asks more: it must expire, be an operator's and be of the console's own region. The one place to change when the
 * services' token checks change.
 */
@Injectable()
export class OperatorTokenVerifier {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: ConsoleConfig,
  ) {}

  async verify(token: string): Promise<{ operator: Principal; expiresAt: Date }> {
    let claims: Record<string, unknown>;
    try {
      claims = await this.jwt.verifyAsync<Record<string, unknown>>(token);
    } catch (error) {
      throw new UnauthorizedException(
        error instanceof TokenExpiredError ? 'The token has expired' : 'The token is invalid',
      );
    }
    const { role, region, org, sub, exp } = claims;
    if (typeof exp !== 'number') throw new UnauthorizedException('The token must expire (it has no exp)');
    if (typeof org !== 'string' || org === '')
      throw new UnauthorizedException("The token's org must name an organisation");
    if (sub !== undefined && typeof sub !== 'string')
      throw new UnauthorizedException("The token's sub must be a string");
    if (role !== 'operator') {
      throw new ForbiddenException(`Only operators may use the console; this token's role is '${String(role)}'`);
    }
    if (region !== this.config.region) {
      throw new ForbiddenException(
        `This is ${this.config.region}'s console: log in with an operator token of ${this.config.region}, ` +
          `not of '${String(region)}'`,
      );
    }
    return { operator: { role, region, org, sub }, expiresAt: new Date(exp * 1000) };
  }
}
