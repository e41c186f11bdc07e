import { Principal } from '@app/http';

/** Who acted, as the access log and the reports name them. */
export function actorOf(principal: Principal): string {
  return principal.sub ?? `${principal.org}:${principal.role}`;
}
