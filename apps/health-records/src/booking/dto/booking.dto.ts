import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsISO8601, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsResidentId } from '@app/bus';
import { IsRegionName } from '@app/contracts';

export class SlotPublishDto {
  @ApiProperty({ example: 'Laiyang Central Hospital' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  hospital!: string;

  @ApiProperty({ example: 'cardiology' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  department!: string;

  @ApiProperty({ example: 'Dr. Zhang Wei' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  doctor!: string;

  @ApiProperty({ example: '2026-12-01T09:00:00+08:00' })
  @IsISO8601({ strict: true })
  startsAt!: string;

  @ApiProperty({ minimum: 1, maximum: 1000 })
  @IsInt()
  @Min(1)
  @Max(1000)
  capacity!: number;
}

export class BookingRequestDto {
  @ApiProperty({ description: 'The region whose hospital offers the slot' })
  @IsRegionName()
  region!: string;

  @ApiProperty()
  @IsUUID()
  slotId!: string;

  @ApiProperty({ example: '370285196205237809' })
  @IsResidentId()
  residentId!: string;
}
