import { IsInt, IsISO8601, IsUUID, Min } from 'class-validator';
import { IsPseudonym } from './health-fields';

export const HEALTH_RECORDS_PURGE_REQUESTED_V1 = 'cn.shuanglai.health.records.purge-requested.v1';
export const HEALTH_RECORDS_PURGED_V1 = 'cn.shuanglai.health.records.purged.v1';

/** The home city asks a peer that lost the patient's consent to delete everything it holds of the patient. */
export class RecordsPurgeRequestedV1 {
  @IsUUID()
  purgeId!: string;

  @IsPseudonym()
  patient!: string;

  @IsISO8601({ strict: true })
  requestedAt!: string;
}

/** The peer's answer: it deleted the patient's documents (and will not take them again without a new consent). */
export class RecordsPurgedV1 {
  @IsUUID()
  purgeId!: string;

  @IsPseudonym()
  patient!: string;

  @IsInt()
  @Min(0)
  documents!: number;

  @IsISO8601({ strict: true })
  purgedAt!: string;
}
