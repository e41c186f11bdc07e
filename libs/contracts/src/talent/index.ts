import {
  AuthorityHandedOverV1,
  AuthorityRefusedV1,
  AuthorityRequestedV1,
  TALENT_AUTHORITY_HANDED_OVER_V1,
  TALENT_AUTHORITY_REFUSED_V1,
  TALENT_AUTHORITY_REQUESTED_V1,
} from './authority.v1';
import { BenefitGrantedV1, ClaimDecidedV1, ClaimRequestedV1 } from './benefit.v1';
import { TALENT_BENEFIT_GRANTED_V1, TALENT_CLAIM_DECIDED_V1, TALENT_CLAIM_REQUESTED_V1 } from './benefit.v1';
import {
  CertificationStateV1,
  TALENT_CERTIFICATION_RENEWED_V1,
  TALENT_CERTIFICATION_REVOKED_V1,
  TALENT_CERTIFICATION_SUSPENDED_V1,
  TALENT_CERTIFIED_V1,
} from './certification.v1';
import { HukouRecordedV1, TALENT_HUKOU_RECORDED_V1 } from './hukou.v1';

export * from './authority.v1';
export * from './benefit.v1';
export * from './certification.v1';
export * from './common';
export * from './hukou.v1';

export const TALENT_EVENT_TYPES = {
  [TALENT_CERTIFIED_V1]: CertificationStateV1,
  [TALENT_CERTIFICATION_RENEWED_V1]: CertificationStateV1,
  [TALENT_CERTIFICATION_SUSPENDED_V1]: CertificationStateV1,
  [TALENT_CERTIFICATION_REVOKED_V1]: CertificationStateV1,
  [TALENT_HUKOU_RECORDED_V1]: HukouRecordedV1,
  [TALENT_CLAIM_REQUESTED_V1]: ClaimRequestedV1,
  [TALENT_CLAIM_DECIDED_V1]: ClaimDecidedV1,
  [TALENT_BENEFIT_GRANTED_V1]: BenefitGrantedV1,
  [TALENT_AUTHORITY_REQUESTED_V1]: AuthorityRequestedV1,
  [TALENT_AUTHORITY_HANDED_OVER_V1]: AuthorityHandedOverV1,
  [TALENT_AUTHORITY_REFUSED_V1]: AuthorityRefusedV1,
} as const;
