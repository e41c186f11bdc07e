export * from './services';
export * from './topics';
export * from './validation-errors';
export * from './regions/region.dto';
export * from './regions/region-registry';
export * from './bus/heartbeat.v1';
export * from './event-types';
export * from './bus/probe.v1';
