export * from './consent.module';
export * from './consent.rules';
export * from './consent.service';
export * from './migrations';
