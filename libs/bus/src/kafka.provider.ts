import { Provider } from '@nestjs/common';
import { Kafka, KafkaConfig, SASLOptions, logLevel } from 'kafkajs';
import { AppConfig } from '@app/config';

/** One kafkajs client per service instance; producers, consumers and the admin come from it. */
export const kafkaProvider: Provider = {
  provide: Kafka,
  inject: [AppConfig],
  useFactory: (config: AppConfig) =>
    new Kafka({
      clientId: `${config.region}.${config.service}`,
      brokers: config.kafkaBrokers,
      ...kafkaClientSecurity(config),
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3000,
      requestTimeout: 10_000,
      retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 10_000 },
    }),
};

/** kafkajs's TLS and SASL settings from the validated configuration. */
export function kafkaClientSecurity(config: Pick<AppConfig, 'kafkaSecurity'>): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const { ssl, sasl } = config.kafkaSecurity;
  // kafkajs types each mechanism apart; ours is one of its SCRAM ones.
  return { ssl: ssl === false ? false : ssl.ca ? { ca: [ssl.ca] } : true, ...(sasl && { sasl: sasl as SASLOptions }) };
}

/** The consumer group of one (region, service): every instance of it shares the work. */
export function consumerGroupId(config: AppConfig): string {
  return `${config.kafkaGroupPrefix}${config.region}.${config.service}`;
}
