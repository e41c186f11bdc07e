import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { BusContext } from './bus.context';
import { fromKafkaMessage } from './envelope';
import { Consumer, EachMessagePayload, Kafka } from 'kafkajs';

export interface KafkaBusServerOptions {
  groupId: string;
  /** The peers' topics this service applies. */
  topics: string[];
}

/**
 * Consumes the peers' topics and hands each event to the `@EventPattern('<ce type>')` handler of its CloudEvents
 * type. It starts in the background so that the HTTP side (and /health) is up while Kafka is not.
 */
export class KafkaBusServer extends Server implements CustomTransportStrategy {
  private consumer?: Consumer;
  private closed = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaBusServerOptions,
  ) {
    super();
  }

  listen(callback: () => void): void {
    void this.runUntilClosed();
    callback();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.consumer?.disconnect().catch(() => undefined);
  }

  on(): never {
    throw new Error('KafkaBusServer has no events to subscribe to');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private async runUntilClosed(): Promise<void> {
    let delay = 500;
    while (!this.closed) {
      const consumer = this.kafka.consumer({ groupId: this.options.groupId, allowAutoTopicCreation: true });
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: this.options.topics, fromBeginning: true });
        this.consumer = consumer;
        await consumer.run({ eachMessage: (payload) => this.dispatch(payload) });
        this.logger.log(`consuming ${this.options.topics.join(', ')} as ${this.options.groupId}`);
        return;
      } catch (error) {
        await consumer.disconnect().catch(() => undefined);
        this.logger.warn(`Kafka consumer not started (${(error as Error).message}); retrying in ${delay} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 10_000);
      }
    }
  }

  private async dispatch({ topic, partition, message }: EachMessagePayload): Promise<void> {
    const type = message.headers?.ce_type?.toString();
    const handler = type ? this.getHandlerByPattern(type) : null;
    if (!handler) {
      this.logger.warn(`no handler for event type '${type}' on ${topic}`);
      return;
    }
    const event = fromKafkaMessage(message);
    await handler(event.data, new BusContext([event, { topic, partition, offset: message.offset }]));
  }
}
