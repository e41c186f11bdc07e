import { LabTables1795410000000 } from './1795410000000-lab-tables';

export const LAB_MIGRATIONS = [LabTables1795410000000];
