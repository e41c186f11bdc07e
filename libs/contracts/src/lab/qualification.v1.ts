import { ApiProperty } from '@nestjs/swagger';
import { IsDateString, IsIn, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

export const LAB_QUALIFICATION_GRANTED_V1 = 'cn.shuanglai.lab.qualification.granted.v1';
export const LAB_QUALIFICATION_SUSPENDED_V1 = 'cn.shuanglai.lab.qualification.suspended.v1';

/** Lab identifiers as the issuing city registers them. */
export const LAB_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const EQA_RESULTS = ['pass', 'fail'] as const;
export type EqaResult = (typeof EQA_RESULTS)[number];

/**
 * A lab's qualification for a period: its accreditation and external quality assessment (EQA) result. A result
 * is recognisable only if its lab held a qualification with EQA `pass` at the time of collection.
 */
export class LabQualificationGrantedV1 {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  qualificationId!: string;

  @ApiProperty({ example: 'LX-PEOPLES-LAB' })
  @Matches(LAB_ID_PATTERN, { message: 'labId must be 1 to 64 letters, digits or ._-' })
  labId!: string;

  @ApiProperty({ example: "Laixi People's Hospital clinical laboratory" })
  @IsString()
  @MaxLength(200)
  labName!: string;

  /** The accreditation certificate, e.g. `CNAS ML0123`. */
  @ApiProperty({ example: 'CNAS ML0123' })
  @IsString()
  @MaxLength(100)
  accreditation!: string;

  @ApiProperty({ enum: EQA_RESULTS })
  @IsIn(EQA_RESULTS)
  eqaResult!: EqaResult;

  @ApiProperty()
  @IsDateString({ strict: true })
  validFrom!: string;

  @ApiProperty()
  @IsDateString({ strict: true })
  validUntil!: string;
}

/** Ends a qualification early: from `suspendedFrom` on, the lab's results are not recognisable (earlier ones stay). */
export class LabQualificationSuspendedV1 {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  qualificationId!: string;

  @ApiProperty({ example: 'LX-PEOPLES-LAB' })
  @Matches(LAB_ID_PATTERN, { message: 'labId must be 1 to 64 letters, digits or ._-' })
  labId!: string;

  @ApiProperty()
  @IsDateString({ strict: true })
  suspendedFrom!: string;

  @ApiProperty({ example: 'EQA failed' })
  @IsString()
  @MaxLength(500)
  reason!: string;
}
