import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { IsResidentId } from '@app/bus';
import { ClaimRequestedV1 } from '@app/contracts';

export class ClaimDto extends PickType(ClaimRequestedV1, ['benefitCode'] as const) {
  @ApiProperty({ example: '370285196205237809' })
  @IsResidentId()
  residentId!: string;

  @ApiPropertyOptional({
    example: 'laixi',
    description:
      'The city the claim is addressed to; by default the certifier this city knows of. A city that is not the ' +
      'certifier passes the claim on to the certifier and grants nothing itself.',
  })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{0,62}$/)
  certifier?: string;
}
