export * from './bus.context';
export * from './bus.module';
export * from './envelope';
export * from './heartbeat.service';
export * from './kafka-bus.server';
export * from './kafka.health';
export * from './kafka.provider';
