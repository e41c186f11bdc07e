import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** The `supplement` field of a supplement's multipart request (JSON); the materials are its file parts. */
export class SupplementDto {
  @ApiPropertyOptional({ example: 'floor plan redrawn to scale' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}
