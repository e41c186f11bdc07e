import { ApiProperty, PickType } from '@nestjs/swagger';
import { IsResidentId } from '@app/bus';
import { HukouRecordedV1 } from '@app/contracts';

export class HukouRecordDto extends PickType(HukouRecordedV1, ['change', 'on'] as const) {
  @ApiProperty({ example: '370285196205237809' })
  @IsResidentId()
  residentId!: string;
}
