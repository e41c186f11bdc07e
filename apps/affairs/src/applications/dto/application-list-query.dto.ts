import { IsIn, IsOptional } from 'class-validator';
import { CASE_STATUSES, CaseStatus } from '@app/contracts';

export class ApplicationListQueryDto {
  @IsOptional()
  @IsIn(CASE_STATUSES)
  status?: CaseStatus;
}
