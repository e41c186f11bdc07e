import {
  AFFAIRS_APPLICATION_SUBMITTED_V1,
  AFFAIRS_MATERIAL_CHUNK_V1,
  AFFAIRS_SUPPLEMENT_PROVIDED_V1,
  ApplicationSubmittedV1,
  MaterialChunkV1,
  SupplementProvidedV1,
} from './application.v1';
import {
  AFFAIRS_CASE_CLOCK_ALERTED_V1,
  AFFAIRS_CASE_RATED_V1,
  AFFAIRS_CASE_STATUS_CHANGED_V1,
  CaseClockAlertedV1,
  CaseRatedV1,
  CaseStatusChangedV1,
} from './case.v1';
import { AFFAIRS_CATALOGUE_PUBLISHED_V1, AffairsCataloguePublishedV1 } from './catalogue.v1';
import {
  AFFAIRS_LICENCE_ISSUED_V1,
  AFFAIRS_LICENCE_REINSTATED_V1,
  AFFAIRS_LICENCE_REVOKED_V1,
  AFFAIRS_LICENCE_SUSPENDED_V1,
  LicenceStateV1,
} from './licence.v1';

export * from './application.v1';
export * from './case.v1';
export * from './catalogue.v1';
export * from './common';
export * from './licence.v1';

export const AFFAIRS_EVENT_TYPES = {
  [AFFAIRS_CATALOGUE_PUBLISHED_V1]: AffairsCataloguePublishedV1,
  [AFFAIRS_APPLICATION_SUBMITTED_V1]: ApplicationSubmittedV1,
  [AFFAIRS_MATERIAL_CHUNK_V1]: MaterialChunkV1,
  [AFFAIRS_SUPPLEMENT_PROVIDED_V1]: SupplementProvidedV1,
  [AFFAIRS_CASE_STATUS_CHANGED_V1]: CaseStatusChangedV1,
  [AFFAIRS_CASE_CLOCK_ALERTED_V1]: CaseClockAlertedV1,
  [AFFAIRS_CASE_RATED_V1]: CaseRatedV1,
  [AFFAIRS_LICENCE_ISSUED_V1]: LicenceStateV1,
  [AFFAIRS_LICENCE_SUSPENDED_V1]: LicenceStateV1,
  [AFFAIRS_LICENCE_REVOKED_V1]: LicenceStateV1,
  [AFFAIRS_LICENCE_REINSTATED_V1]: LicenceStateV1,
} as const;
