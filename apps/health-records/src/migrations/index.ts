import { HealthRecords1795401000000 } from './1795401000000-health-records';

export const HEALTH_RECORDS_MIGRATIONS = [HealthRecords1795401000000];
