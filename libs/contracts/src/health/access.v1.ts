import { ArrayMaxSize, IsISO8601, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsPseudonym, IsPurpose, IsRegionName } from './health-fields';

export const HEALTH_RECORDS_ACCESSED_V1 = 'cn.shuanglai.health.records.accessed.v1';

/**
 * Someone in the reading city read a patient's documents: reported to the patient's home city, so that it can
 * answer "who in the other city read my records". Mirrors the reader's audit entry.
 */
export class RecordsAccessedV1 {
  @IsPseudonym()
  patient!: string;

  @IsString()
  @MaxLength(200)
  actor!: string;

  @IsString()
  @MaxLength(200)
  org!: string;

  @IsRegionName()
  actorRegion!: string;

  @IsPurpose()
  purpose!: string;

  @ArrayMaxSize(10_000)
  @IsUUID('all', { each: true })
  documents!: string[];

  /** The reader's audit entry (id in its hash-chained log) and when it was written. */
  @IsString()
  @MaxLength(40)
  auditEntryId!: string;

  @IsISO8601({ strict: true })
  at!: string;
}
