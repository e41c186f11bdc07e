import { HEALTH_RECORDS_ACCESSED_V1, RecordsAccessedV1 } from './access.v1';
import {
  BookingAnsweredV1,
  BookingCancelledV1,
  BookingRequestedV1,
  HEALTH_BOOKING_ANSWERED_V1,
  HEALTH_BOOKING_CANCELLED_V1,
  HEALTH_BOOKING_REQUESTED_V1,
  HEALTH_SLOT_PUBLISHED_V1,
  HEALTH_SLOT_WITHDRAWN_V1,
  SlotPublishedV1,
  SlotWithdrawnV1,
} from './booking.v1';
import { ConsentGrantedV1, HEALTH_CONSENT_GRANTED_V1 } from './consent-granted.v1';
import { ConsentRevokedV1, HEALTH_CONSENT_REVOKED_V1 } from './consent-revoked.v1';
import {
  HEALTH_RECORDS_PURGE_REQUESTED_V1,
  HEALTH_RECORDS_PURGED_V1,
  RecordsPurgeRequestedV1,
  RecordsPurgedV1,
} from './purge.v1';
import {
  HEALTH_RECORD_REPLICATED_V1,
  HEALTH_RECORD_RETRACTED_V1,
  RecordReplicatedV1,
  RecordRetractedV1,
} from './record.v1';

export * from './access.v1';
export * from './booking.v1';
export * from './consent-granted.v1';
export * from './consent-revoked.v1';
export * from './health-fields';
export * from './purge.v1';
export * from './record.v1';

/** The health domain's event types and their payload classes. */
export const HEALTH_EVENT_TYPES = {
  [HEALTH_CONSENT_GRANTED_V1]: ConsentGrantedV1,
  [HEALTH_CONSENT_REVOKED_V1]: ConsentRevokedV1,
  [HEALTH_RECORD_REPLICATED_V1]: RecordReplicatedV1,
  [HEALTH_RECORD_RETRACTED_V1]: RecordRetractedV1,
  [HEALTH_RECORDS_PURGE_REQUESTED_V1]: RecordsPurgeRequestedV1,
  [HEALTH_RECORDS_PURGED_V1]: RecordsPurgedV1,
  [HEALTH_RECORDS_ACCESSED_V1]: RecordsAccessedV1,
  [HEALTH_SLOT_PUBLISHED_V1]: SlotPublishedV1,
  [HEALTH_SLOT_WITHDRAWN_V1]: SlotWithdrawnV1,
  [HEALTH_BOOKING_REQUESTED_V1]: BookingRequestedV1,
  [HEALTH_BOOKING_ANSWERED_V1]: BookingAnsweredV1,
  [HEALTH_BOOKING_CANCELLED_V1]: BookingCancelledV1,
} as const;
