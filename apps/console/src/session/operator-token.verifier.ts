import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Principal, TokenVerifier } from '@app/http';
import { ConsoleConfig } from '../console.config';

/**
 * Checks a login token as the services check bearer tokens (the same `TokenVerifier`: key, algorithm, issuer,
 * audience, required and bounded expiry), then asks more: it must be an operator's, of the console's own region.
 */
@Injectable()
export class OperatorTokenVerifier {
  constructor(
    private readonly tokens: TokenVerifier,
    private readonly config: ConsoleConfig,
  ) {}

  async verify(token: string): Promise<{ operator: Principal; expiresAt: Date }> {
    const claims = await this.tokens.verify(token);
    const { role, region, org, sub, exp } = claims as Record<string, unknown>;
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
