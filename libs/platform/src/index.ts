export * from './clock';
export * from './bootstrap';
export * from './health.controller';
export * from './service-core.module';
