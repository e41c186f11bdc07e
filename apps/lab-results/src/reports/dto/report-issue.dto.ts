import { ApiProperty, IntersectionType, PickType } from '@nestjs/swagger';
import { IsResidentId } from '@app/bus';
import { LabReportCancelledV1, LabReportV1 } from '@app/contracts';

/** A version of a report's content: what an issue and an amendment both carry. */
export class ReportContentDto extends PickType(LabReportV1, [
  'labId',
  'labName',
  'specimen',
  'collectedAt',
  'reportedAt',
  'items',
] as const) {}

export class ReportIssueDto extends IntersectionType(ReportContentDto, PickType(LabReportV1, ['reportId'] as const)) {
  @ApiProperty({ example: '370285196205237809', description: 'GB 11643 resident ID; stored and sent as a pseudonym' })
  @IsResidentId()
  residentId!: string;
}

export class ReportCancelDto extends PickType(LabReportCancelledV1, ['reason'] as const) {}
