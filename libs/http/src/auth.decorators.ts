import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import { AuthenticatedRequest, Principal, Role } from './principal.model';

export const IS_PUBLIC_KEY = 'shuanglai:auth:public';
export const ROLES_KEY = 'shuanglai:auth:roles';

/** The endpoint (or controller) needs no bearer token. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);

/** Only callers with one of these roles may call the endpoint (or controller). */
export const Roles = (...roles: [Role, ...Role[]]) => SetMetadata(ROLES_KEY, roles);

/** The verified caller; only on endpoints the AuthGuard authenticated (not on `@Public()` ones). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) {
    throw new Error('@CurrentPrincipal() used on an endpoint without an authenticated caller (is it @Public()?)');
  }
  return principal;
});
