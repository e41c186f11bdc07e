import { IsIn, IsOptional } from 'class-validator';
import { MATTER_CATEGORIES } from '../matter-catalogue';

export class MatterListQueryDto {
  @IsOptional()
  @IsIn(MATTER_CATEGORIES)
  category?: (typeof MATTER_CATEGORIES)[number];
}
