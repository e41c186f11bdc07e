import { AuditEntryInput } from '@app/audit';
import { Principal, actorOf } from '@app/http';

/** The access-log entry of a unit's read of alerts: a detail read, or a delivery by stream or poll. */
export function alertReadEntry(principal: Principal, alertIds: string[], purpose: string): AuditEntryInput {
  return {
    actor: actorOf(principal),
    role: principal.role,
    org: principal.org,
    actorRegion: principal.region,
    action: 'police.alert.read',
    purpose,
    resources: alertIds,
  };
}
