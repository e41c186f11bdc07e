import { BusTables1795400000000 } from './1795400000000-bus-tables';

/** The bus's migrations; every service runs them before its own. */
export const BUS_MIGRATIONS = [BusTables1795400000000];
