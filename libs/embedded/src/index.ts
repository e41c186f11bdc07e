export * from './free-port';
export * from './kafka-artifacts';
export * from './kafka-broker';
export * from './postgres-server';
export * from './repo-root';
export * from './mirror-maker';
export * from './process-tree';
