import {
  AUDIT_ACCESS_REPORTED_V1,
  AUDIT_ANCHORED_V1,
  AUDIT_ANCHOR_ACKNOWLEDGED_V1,
  AccessReportedV1,
  AuditAnchorAcknowledgedV1,
  AuditAnchoredV1,
} from './bus/audit.v1';
import { HEARTBEAT_V1, HeartbeatV1 } from './bus/heartbeat.v1';
import { PROBE_V1, ProbeV1 } from './bus/probe.v1';
import { POLICE_EVENT_TYPES } from './police';
import { HEALTH_EVENT_TYPES } from './health';
import { LAB_EVENT_TYPES } from './lab';
import { TALENT_EVENT_TYPES } from './talent';
import { AFFAIRS_EVENT_TYPES } from './affairs';
import { LEDGER_EVENT_TYPES } from './ledger';

/** Every event type on the bus and its payload class: publish and subscribe are checked against this one list. */
export const EVENT_TYPES = {
  [HEARTBEAT_V1]: HeartbeatV1,
  [PROBE_V1]: ProbeV1,
  [AUDIT_ANCHORED_V1]: AuditAnchoredV1,
  [AUDIT_ANCHOR_ACKNOWLEDGED_V1]: AuditAnchorAcknowledgedV1,
  [AUDIT_ACCESS_REPORTED_V1]: AccessReportedV1,
  ...POLICE_EVENT_TYPES,
  ...HEALTH_EVENT_TYPES,
  ...LAB_EVENT_TYPES,
  ...TALENT_EVENT_TYPES,
  ...AFFAIRS_EVENT_TYPES,
  ...LEDGER_EVENT_TYPES,
} as const;

export type EventType = keyof typeof EVENT_TYPES;
export type EventPayload<T extends EventType> = InstanceType<(typeof EVENT_TYPES)[T]>;

/** Liveness signals: applied as they come, with no inbox record and no place in the sequence of their topic. */
export const EPHEMERAL_EVENT_TYPES: ReadonlySet<string> = new Set([HEARTBEAT_V1]);

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_TYPES, type);
}

/** `cn.shuanglai.<domain>.<event>.v<N>` → domain; `bus` types may travel on any domain's topic. */
export function eventTypeDomain(type: string): string | undefined {
  return /^cn\.shuanglai\.([a-z]+)\.[a-z][a-z0-9.-]*\.v\d+$/.exec(type)?.[1];
}
