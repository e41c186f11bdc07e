import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, Matches } from 'class-validator';
import { IsResidentId } from '@app/bus';
import { TEST_CODE_PATTERN } from '@app/contracts';

export class ReuseQueryDto {
  @ApiProperty({ example: '370285196205237809', description: 'GB 11643 resident ID of the patient' })
  @IsResidentId()
  residentId!: string;

  @ApiProperty({ example: ['CBC', 'ALT'], description: 'The tests the doctor is about to order' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(TEST_CODE_PATTERN, { each: true, message: 'each code must be 1 to 32 upper-case letters, digits or ._-' })
  codes!: string[];
}
