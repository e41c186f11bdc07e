import { LAB_CATALOGUE_PUBLISHED_V1, LabCataloguePublishedV1 } from './catalogue.v1';
import { LAB_CATALOGUE_PUBLISHED_V2, LabCataloguePublishedV2 } from './catalogue.v2';
import {
  LAB_QUALIFICATION_GRANTED_V1,
  LAB_QUALIFICATION_SUSPENDED_V1,
  LabQualificationGrantedV1,
  LabQualificationSuspendedV1,
} from './qualification.v1';
import { LAB_RECOGNITION_DECIDED_V1, LabRecognitionDecidedV1 } from './recognition.v1';
import {
  LAB_REPORT_AMENDED_V1,
  LAB_REPORT_CANCELLED_V1,
  LAB_REPORT_ISSUED_V1,
  LabReportCancelledV1,
  LabReportV1,
} from './report.v1';

export * from './catalogue.v1';
export * from './catalogue.v2';
export * from './qualification.v1';
export * from './recognition.v1';
export * from './report.v1';

/** The lab domain's events: catalogue and qualifications are broadcast; reports and decisions are directed. */
export const LAB_EVENT_TYPES = {
  [LAB_CATALOGUE_PUBLISHED_V1]: LabCataloguePublishedV1,
  [LAB_CATALOGUE_PUBLISHED_V2]: LabCataloguePublishedV2,
  [LAB_QUALIFICATION_GRANTED_V1]: LabQualificationGrantedV1,
  [LAB_QUALIFICATION_SUSPENDED_V1]: LabQualificationSuspendedV1,
  [LAB_REPORT_ISSUED_V1]: LabReportV1,
  [LAB_REPORT_AMENDED_V1]: LabReportV1,
  [LAB_REPORT_CANCELLED_V1]: LabReportCancelledV1,
  [LAB_RECOGNITION_DECIDED_V1]: LabRecognitionDecidedV1,
} as const;
