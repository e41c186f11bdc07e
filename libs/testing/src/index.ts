export * from './test-infra';
export * from './test-stack';
export * from './chromium';
export * from './sse-client';
export * from './counting/counting-app.module';
export * from './private-postgres';
export * from './broker-scan';
export { isRogueTopic } from './suite-broker-scan';
export * from './reads-reported-home';
