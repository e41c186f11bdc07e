import { BaseRpcContext } from '@nestjs/microservices';
import { CloudEventV1 } from 'cloudevents';
import { EntityManager } from 'typeorm';

export interface BusDelivery {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * What an `@OnEvent` handler learns beyond its payload (its second parameter): the verified envelope,
 * where it came from, and the transaction in which the inbox records it. A handler writes through
 * `context.manager` so that its changes and the inbox record commit together.
 */
export class BusContext extends BaseRpcContext<[CloudEventV1<unknown>, BusDelivery, EntityManager | undefined]> {
  get event(): CloudEventV1<unknown> {
    return this.args[0];
  }

  get delivery(): BusDelivery {
    return this.args[1];
  }

  /** The inbox transaction; absent only for ephemeral events (heartbeats), which write nothing. */
  get manager(): EntityManager {
    const manager = this.args[2];
    if (!manager) throw new Error(`${this.event.type} is ephemeral: it has no transaction to write in`);
    return manager;
  }

  /** The region that published the event (the `region` extension, checked against the topic's owner). */
  get origin(): string {
    return String(this.event['region']);
  }
}

/** One event of a batch handed to a batch handler. */
export interface BusEventInfo {
  event: CloudEventV1<unknown>;
  delivery: BusDelivery;
  origin: string;
}

/**
 * The context of a batch handler (`@OnEventBatch(type)`), which receives the payloads of
 * consecutive events of its type, in order, and writes them in the inbox transaction (`manager`) at once.
 */
export class BusBatchContext extends BaseRpcContext<[BusEventInfo[], EntityManager]> {
  get events(): BusEventInfo[] {
    return this.args[0];
  }

  get manager(): EntityManager {
    return this.args[1];
  }
}
