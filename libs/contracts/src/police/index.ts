import {
  ALERT_CANCELLED_V1,
  ALERT_CLOSED_V1,
  ALERT_ESCALATED_V1,
  ALERT_RAISED_V1,
  ALERT_UPDATED_V1,
  AlertCancelledV1,
  AlertClosedV1,
  AlertEscalatedV1,
  AlertRaisedV1,
  AlertUpdatedV1,
} from './alert.v1';
import { ALERT_ACKNOWLEDGED_V1, ALERT_RECEIVED_V1, AlertAcknowledgedV1, AlertReceivedV1 } from './alert-response.v1';
import { ROSTER_PUBLISHED_V1, RosterPublishedV1 } from './roster.v1';

export * from './alert.v1';
export * from './alert-response.v1';
export * from './roster.v1';

export const POLICE_EVENT_TYPES = {
  [ALERT_RAISED_V1]: AlertRaisedV1,
  [ALERT_UPDATED_V1]: AlertUpdatedV1,
  [ALERT_CLOSED_V1]: AlertClosedV1,
  [ALERT_CANCELLED_V1]: AlertCancelledV1,
  [ALERT_ESCALATED_V1]: AlertEscalatedV1,
  [ALERT_RECEIVED_V1]: AlertReceivedV1,
  [ALERT_ACKNOWLEDGED_V1]: AlertAcknowledgedV1,
  [ROSTER_PUBLISHED_V1]: RosterPublishedV1,
} as const;
