import { LedgerTables1796200000000 } from './1796200000000-ledger-tables';

export const LEDGER_MIGRATIONS = [LedgerTables1796200000000];
