import { IsInt, Max, Min } from 'class-validator';

/** The ledger service's own environment variables (those every service reads are in AppConfig). */
export class LedgerConfig {
  /** How often this city signs its log's head and submits it to each peer for cosigning. */
  @IsInt({ message: 'LEDGER_HEAD_INTERVAL_MS must be a whole number of milliseconds from 1000 to 86400000' })
  @Min(1000, { message: 'LEDGER_HEAD_INTERVAL_MS must be a whole number of milliseconds from 1000 to 86400000' })
  @Max(86_400_000, { message: 'LEDGER_HEAD_INTERVAL_MS must be a whole number of milliseconds from 1000 to 86400000' })
  LEDGER_HEAD_INTERVAL_MS: number = 60_000;
}
