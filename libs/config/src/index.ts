export * from './env.dto';
export * from './app-config';
export * from './app-config.module';
