import { PoliceTables1795500000000 } from './1795500000000-police-tables';
import { PoliceAlertEndsAt1796300000000 } from './1796300000000-police-alert-ends-at';

export const POLICE_MIGRATIONS = [PoliceTables1795500000000, PoliceAlertEndsAt1796300000000];
