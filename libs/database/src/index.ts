export * from './database-errors';
export * from './advisory-lock';
export * from './database-url';
export * from './database.module';
