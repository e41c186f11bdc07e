import { IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { RETENTION_DAYS } from '@app/audit';

/** The police service's own settings (the shared ones are AppConfig's), read by loadServiceConfig. */
export class PoliceConfig {
  /** The catalogue of key areas, severities and boundary zones, relative to the working directory. */
  @IsString()
  @MinLength(1)
  POLICE_CATALOGUE_FILE: string = 'config/police.json';

  /** Days an entry of this city's delivery feed (alert state, persons' pseudonyms) is kept for resuming clients. */
  @IsInt({ message: RETENTION_DAYS('POLICE_FEED_RETENTION_DAYS') })
  @Min(1, { message: RETENTION_DAYS('POLICE_FEED_RETENTION_DAYS') })
  @Max(36_500, { message: RETENTION_DAYS('POLICE_FEED_RETENTION_DAYS') })
  POLICE_FEED_RETENTION_DAYS: number = 30;

  /** Days units' receipts and responses (acknowledgements) are kept. */
  @IsInt({ message: RETENTION_DAYS('POLICE_RECEIPT_RETENTION_DAYS') })
  @Min(1, { message: RETENTION_DAYS('POLICE_RECEIPT_RETENTION_DAYS') })
  @Max(36_500, { message: RETENTION_DAYS('POLICE_RECEIPT_RETENTION_DAYS') })
  POLICE_RECEIPT_RETENTION_DAYS: number = 180;

  /** Days an alert (its state, persons' pseudonyms) is kept once it ended: closed, cancelled, or past its expiry. */
  @IsInt({ message: RETENTION_DAYS('POLICE_ALERT_RETENTION_DAYS') })
  @Min(1, { message: RETENTION_DAYS('POLICE_ALERT_RETENTION_DAYS') })
  @Max(36_500, { message: RETENTION_DAYS('POLICE_ALERT_RETENTION_DAYS') })
  POLICE_ALERT_RETENTION_DAYS: number = 180;
}
