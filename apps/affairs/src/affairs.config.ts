import { IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { RETENTION_DAYS } from '@app/audit';

/** The affairs service's own settings (the shared ones are AppConfig's), read by loadServiceConfig. */
export class AffairsConfig {
  /** The matter catalogue, relative to the working directory. */
  @IsString()
  @MinLength(1)
  AFFAIRS_MATTERS_FILE: string = 'config/matters.json';

  /** This city's holiday calendar (public holidays and adjusted working days), relative to the working directory. */
  @IsString()
  @MinLength(1)
  AFFAIRS_CALENDAR_FILE: string = 'config/holidays.json';

  /**
   * This region's X25519 private key (PKCS#8 DER, base64): opens what other cities sealed to it. Default (not in
   * production): `config/dev-keys/<region>.x25519`.
   */
  @IsOptional()
  @IsString()
  @MinLength(1)
  REGION_ENCRYPTION_KEY?: string;

  /** Days a closed application or case (not accepted, or delivered) is kept after its last change. */
  @IsInt({ message: RETENTION_DAYS('AFFAIRS_CASE_RETENTION_DAYS') })
  @Min(1, { message: RETENTION_DAYS('AFFAIRS_CASE_RETENTION_DAYS') })
  @Max(36_500, { message: RETENTION_DAYS('AFFAIRS_CASE_RETENTION_DAYS') })
  AFFAIRS_CASE_RETENTION_DAYS: number = 3650;

  /** A file holding REGION_ENCRYPTION_KEY (Docker and Kubernetes secrets); one trailing newline dropped. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  REGION_ENCRYPTION_KEY_FILE?: string;
}
