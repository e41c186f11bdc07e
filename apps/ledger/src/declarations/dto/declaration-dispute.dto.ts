import { ApiProperty, PickType } from '@nestjs/swagger';
import { IsDefined } from 'class-validator';
import { DeclarationAnswerV1 } from '@app/contracts';

/** The event's reason, with its limits, required here. */
export class DeclarationDisputeDto extends PickType(DeclarationAnswerV1, ['reason'] as const) {
  @ApiProperty({ example: 'Output value of September is missing the coolant line' })
  @IsDefined()
  override reason!: string;
}
