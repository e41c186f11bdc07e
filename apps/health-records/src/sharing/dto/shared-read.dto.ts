import { IntersectionType, PickType } from '@nestjs/swagger';
import { ConsentGrantedV1 } from '@app/contracts';
import { PatientQueryDto } from '../../patient.dto';

/** Why the clinician reads: must match the consent's purpose. */
export class PurposeDto extends PickType(ConsentGrantedV1, ['purpose'] as const) {}

export class SharedRecordsQueryDto extends IntersectionType(PurposeDto, PatientQueryDto) {}
