import { ApiPropertyOptional, IntersectionType, OmitType, PartialType, PickType } from '@nestjs/swagger';
import { LabQualificationGrantedV1, LabQualificationSuspendedV1 } from '@app/contracts';

/** A qualification as the operator grants it; its id is given here. */
export class QualificationGrantDto extends OmitType(LabQualificationGrantedV1, ['qualificationId'] as const) {}

export class QualificationSuspendDto extends IntersectionType(
  PickType(LabQualificationSuspendedV1, ['reason'] as const),
  PartialType(PickType(LabQualificationSuspendedV1, ['suspendedFrom'] as const)),
) {
  @ApiPropertyOptional({ description: 'Default: now' })
  override suspendedFrom?: string;
}
