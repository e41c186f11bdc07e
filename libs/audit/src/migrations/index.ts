import { AuditLog1795400100000 } from './1795400100000-audit-log';

export const AUDIT_MIGRATIONS = [AuditLog1795400100000];
