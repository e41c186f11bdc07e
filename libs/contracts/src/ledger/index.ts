import {
  LEDGER_HEAD_COSIGNED_V1,
  LEDGER_HEAD_REFUSED_V1,
  LEDGER_HEAD_SUBMITTED_V1,
  LedgerHeadCosignedV1,
  LedgerHeadRefusedV1,
  LedgerHeadSubmittedV1,
} from './checkpoint.v1';
import { LEDGER_ENTRY_APPENDED_V1, LedgerEntryAppendedV1 } from './entry.v1';

export * from './checkpoint.v1';
export * from './entry.v1';
export * from './ledger-fields';

/** The ledger domain's event types and their payload classes. */
export const LEDGER_EVENT_TYPES = {
  [LEDGER_ENTRY_APPENDED_V1]: LedgerEntryAppendedV1,
  [LEDGER_HEAD_SUBMITTED_V1]: LedgerHeadSubmittedV1,
  [LEDGER_HEAD_COSIGNED_V1]: LedgerHeadCosignedV1,
  [LEDGER_HEAD_REFUSED_V1]: LedgerHeadRefusedV1,
} as const;
