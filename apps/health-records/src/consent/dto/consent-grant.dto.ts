import { ApiPropertyOptional, IntersectionType, PartialType, PickType } from '@nestjs/swagger';
import { Equals, IsOptional } from 'class-validator';
import { CONTINUITY_OF_CARE, ConsentGrantedV1 } from '@app/contracts';
import { PatientQueryDto } from '../../patient.dto';

/**
 * A consent as the HIS records it: the granted event's fields, with the purpose and the start optional. `allPeers`
 * is declared here: the event's rejects it beside grantees, while this API has always let it win over them.
 */
export class ConsentGrantDto extends IntersectionType(
  PatientQueryDto,
  PickType(ConsentGrantedV1, ['grantees', 'validUntil'] as const),
  PartialType(PickType(ConsentGrantedV1, ['purpose', 'validFrom'] as const)),
) {
  @ApiPropertyOptional({ default: CONTINUITY_OF_CARE })
  override purpose: string = CONTINUITY_OF_CARE;

  @ApiPropertyOptional({ description: 'Every peer region, instead of a list of grantees' })
  @IsOptional()
  @Equals(true)
  allPeers?: true;
}
