import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { BusConsumer } from './inbox/bus-consumer.service';

/**
 * Nest's transport for the bus: it hands each peer event to the `@OnEvent('<ce type>')` handler of its
 * CloudEvents type through the idempotent inbox. (Nest's own Kafka transport blocks a partition on a poison
 * message and has no dead-letter path.) It starts in the background, so HTTP and /health are up while Kafka is not.
 */
export class KafkaBusServer extends Server implements CustomTransportStrategy {
  constructor(private readonly consumer: BusConsumer) {
    super();
  }

  listen(callback: () => void): void {
    // Handlers are registered before listen() and never change: look each type up once.
    const handlers = new Map<string, MessageHandler | null>();
    this.consumer.start((type) => {
      if (!handlers.has(type)) handlers.set(type, this.getHandlerByPattern(type));
      return handlers.get(type)!;
    });
    callback();
  }

  async close(): Promise<void> {
    await this.consumer.stop();
  }

  on(): never {
    throw new Error('KafkaBusServer has no events to subscribe to');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }
}
