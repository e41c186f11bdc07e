export * from './database-errors';
export * from './database-url';
export * from './database.module';
