import { ApiProperty, PickType } from '@nestjs/swagger';
import { MinLength } from 'class-validator';
import { IsResidentId } from '@app/bus';
import { CertificationStateV1 } from '@app/contracts';

export class CertifyDto extends PickType(CertificationStateV1, [
  'tier',
  'field',
  'issuingBureau',
  'validFrom',
  'validUntil',
] as const) {
  @ApiProperty({ example: '370285196205237809', description: '18-character resident ID; never stored in clear' })
  @IsResidentId()
  residentId!: string;

  // The event admits an empty text; a bureau issuing a certification names both.
  @MinLength(1)
  declare field: string;

  @MinLength(1)
  declare issuingBureau: string;
}

export class RenewDto extends PickType(CertificationStateV1, ['validUntil'] as const) {}

export class ChangeReasonDto extends PickType(CertificationStateV1, ['reason'] as const) {}
