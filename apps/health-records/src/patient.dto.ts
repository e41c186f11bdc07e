import { ApiProperty } from '@nestjs/swagger';
import { IsResidentId } from '@app/bus';

/** A patient of this city, named by the HIS in a body (never in a URL). */
export class PatientQueryDto {
  @ApiProperty({ example: '370285196205237809', description: 'GB 11643 resident identity number' })
  @IsResidentId()
  residentId!: string;
}
