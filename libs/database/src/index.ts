export * from './database-url';
export * from './database.module';
