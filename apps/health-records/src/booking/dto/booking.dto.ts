import { ApiProperty, IntersectionType, OmitType, PickType } from '@nestjs/swagger';
import { BookingRequestedV1, IsRegionName, SlotPublishedV1 } from '@app/contracts';
import { PatientQueryDto } from '../../patient.dto';

/** A slot as the HIS publishes it: the broadcast slot less its id (this city gives it). */
export class SlotPublishDto extends OmitType(SlotPublishedV1, ['slotId'] as const) {}

export class BookingRequestDto extends IntersectionType(
  PickType(BookingRequestedV1, ['slotId'] as const),
  PatientQueryDto,
) {
  @ApiProperty({ description: 'The region whose hospital offers the slot' })
  @IsRegionName()
  region!: string;
}
