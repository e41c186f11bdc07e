import { IsIn, IsOptional } from 'class-validator';

export class CaseListQueryDto {
  /** `true` (default): only cases not yet closed (not accepted, or delivered). */
  @IsOptional()
  @IsIn(['true', 'false'])
  open?: 'true' | 'false';
}
