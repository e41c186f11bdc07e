import { ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, ValidateNested } from 'class-validator';
import { LedgerProjectV1, ProjectSharesV1 } from '@app/contracts';

/** A project as a finance bureau registers it: the service assigns its id; the shares default to 60:40. */
export class ProjectRegisterDto extends PickType(LedgerProjectV1, [
  'name',
  'creditCode',
  'flyOut',
  'flyIn',
  'indicators',
  'validFrom',
  'validUntil',
  'agreementSha256',
] as const) {
  @ApiPropertyOptional({ type: ProjectSharesV1, description: 'Default 60 (fly-out) : 40 (fly-in)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProjectSharesV1)
  shares?: ProjectSharesV1;
}
