import { AuditLog1795400100000 } from './1795400100000-audit-log';
import { AuditDeferredChain1795400150000 } from './1795400150000-audit-deferred-chain';
import { AuditAnchorsAccessReports1796000000000 } from './1796000000000-audit-anchors-access-reports';

export const AUDIT_MIGRATIONS = [
  AuditLog1795400100000,
  AuditDeferredChain1795400150000,
  AuditAnchorsAccessReports1796000000000,
];
