export * from './auth.decorators';
export * from './auth.guard';
export * from './dev-token.util';
export * from './domain.error';
export * from './http-core.module';
export * from './principal.model';
export * from './problem-details.filter';
export * from './validation.pipe';
