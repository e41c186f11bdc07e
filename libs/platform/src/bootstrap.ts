import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { BusConsumer, KafkaBusServer } from '@app/bus';
import { AppConfig, ConfigError, loadConfig } from '@app/config';
import { ServiceName } from '@app/contracts';

export type AppModuleFactory = (config: AppConfig) => DynamicModule;

/**
 * Builds one service instance (HTTP API plus its Kafka consumer) and starts it listening on its port.
 * `shutdownHooks: false` leaves SIGTERM/SIGINT to the caller: a process running several apps must close them all
 * before it exits (each app's own hook re-raises the signal, ending the process, once that one app has closed).
 */
export async function startServiceApp(
  config: AppConfig,
  appModule: AppModuleFactory,
  { shutdownHooks = true } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(appModule(config), { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  if (shutdownHooks) app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`Shuanglai Bus · ${config.service} · ${config.region}`)
      .setDescription(`The ${config.service} service of region ${config.region}.`)
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });

  // The app's global filter hands a handler's error to the bus as thrown (no HTTP mapping outside HTTP).
  app.connectMicroservice({ strategy: new KafkaBusServer(app.get(BusConsumer)) }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  await app.listen(config.port, config.host);
  return app;
}

/**
 * Entry point of a service's main.ts: a bad configuration, shared (AppConfig) or the service's own (read when its
 * module is built), ends the process with one line and exit code 2.
 */
export async function runService(service: ServiceName, appModule: AppModuleFactory): Promise<void> {
  let config: AppConfig;
  let module: DynamicModule;
  try {
    config = loadConfig(service);
    module = appModule(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${service}: invalid configuration: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const app = await startServiceApp(config, () => module);
  if (process.send) {
    // Started by `npm start` with an IPC channel: when the launcher dies, however it dies, stop with it.
    process.once('disconnect', () => void app.close().finally(() => process.exit(0)));
  }
}
