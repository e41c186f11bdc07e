import { Provider } from '@nestjs/common';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { AppConfig } from '@app/config';

/**
 * One registry per service instance rather than prom-client's global one, so that several services can share a
 * process (the tests, and `npm start`'s process per city) without their metrics colliding.
 */
export const metricsRegistryProvider: Provider = {
  provide: Registry,
  inject: [AppConfig],
  useFactory: (config: AppConfig) => {
    const registry = new Registry();
    registry.setDefaultLabels({ region: config.region, service: config.service });
    collectDefaultMetrics({ register: registry });
    return registry;
  },
};
