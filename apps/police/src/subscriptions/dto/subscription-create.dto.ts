import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, Matches } from 'class-validator';
import { POLICE_CODE } from '@app/contracts';

export class SubscriptionCreateDto {
  @ApiPropertyOptional({ type: [String], description: 'Key areas; empty or absent means every area' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(POLICE_CODE, { each: true })
  areas?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Severities; empty or absent means every severity' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(POLICE_CODE, { each: true })
  severities?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Boundary zones; empty or absent means every zone' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(POLICE_CODE, { each: true })
  zones?: string[];
}
