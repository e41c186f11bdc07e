import { IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { RETENTION_DAYS } from '@app/audit';

/** The talent service's own environment variables (those every service reads are in AppConfig). */
export class TalentConfig {
  /** The programme file (tiers, hukou services, benefit catalogues), relative to the working directory. */
  @IsString()
  @MinLength(1)
  TALENT_CONFIG_FILE: string = 'config/talent.json';

  /** Days a peer's certification is kept after its validity ended. */
  @IsInt({ message: RETENTION_DAYS('TALENT_REPLICA_RETENTION_DAYS') })
  @Min(1, { message: RETENTION_DAYS('TALENT_REPLICA_RETENTION_DAYS') })
  @Max(36_500, { message: RETENTION_DAYS('TALENT_REPLICA_RETENTION_DAYS') })
  TALENT_REPLICA_RETENTION_DAYS: number = 1095;

  /** Days a decided claim (the claimant's view) is kept; grants and the certifier's decisions are kept for good. */
  @IsInt({ message: RETENTION_DAYS('TALENT_CLAIM_RETENTION_DAYS') })
  @Min(1, { message: RETENTION_DAYS('TALENT_CLAIM_RETENTION_DAYS') })
  @Max(36_500, { message: RETENTION_DAYS('TALENT_CLAIM_RETENTION_DAYS') })
  TALENT_CLAIM_RETENTION_DAYS: number = 1095;
}
