export * from './clear-identifiers';
export * from './pseudonym';
export * from './resident-id';
export * from './signature';
export * from './sealed-box';
