export * from './test-infra';
export * from './test-stack';
