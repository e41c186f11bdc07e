export * from './audit-chain';
export * from './audit.config';
export * from './audit.module';
export * from './audit.service';
export * from './anchors/audit-anchor.service';
export * from './access-reports/access-report.service';
export * from './migrations';
