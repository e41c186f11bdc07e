import { LabTables1795410000000 } from './1795410000000-lab-tables';
import { LabCatalogueParts1795610000000 } from './1795610000000-lab-catalogue-parts';

export const LAB_MIGRATIONS = [LabTables1795410000000, LabCatalogueParts1795610000000];
