export * from './env.dto';
export * from './app-config';
export * from './app-config.module';
export * from './service-config';
