import { PoliceTables1795500000000 } from './1795500000000-police-tables';

export const POLICE_MIGRATIONS = [PoliceTables1795500000000];
