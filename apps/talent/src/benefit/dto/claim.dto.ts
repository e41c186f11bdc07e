import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsResidentId } from '@app/bus';

export class ClaimDto {
  @ApiProperty({ example: '370285196205237809' })
  @IsResidentId()
  residentId!: string;

  @ApiProperty({ example: 'settling-in-allowance', description: "A benefit of this city's catalogue" })
  @IsString()
  @MaxLength(40)
  benefitCode!: string;

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
