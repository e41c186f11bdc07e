import { HealthRecords1795401000000 } from './1795401000000-health-records';
import { HealthAccessReportsShared1796100000000 } from './1796100000000-health-access-reports-shared';

export const HEALTH_RECORDS_MIGRATIONS = [HealthRecords1795401000000, HealthAccessReportsShared1796100000000];
