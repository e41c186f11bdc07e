import { HEARTBEAT_V1, HeartbeatV1 } from './bus/heartbeat.v1';

/** Every event type on the bus and its payload class: publish and subscribe are checked against this one list. */
export const EVENT_TYPES = {
  [HEARTBEAT_V1]: HeartbeatV1,
} as const;

export type EventType = keyof typeof EVENT_TYPES;
export type EventPayload<T extends EventType> = InstanceType<(typeof EVENT_TYPES)[T]>;

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_TYPES, type);
}
