import { BaseRpcContext } from '@nestjs/microservices';
import { CloudEventV1 } from 'cloudevents';

export interface BusDelivery {
  topic: string;
  partition: number;
  offset: string;
}

/** What an `@EventPattern` handler can learn about the event beyond its payload: `@Ctx() context: BusContext`. */
export class BusContext extends BaseRpcContext<[CloudEventV1<unknown>, BusDelivery]> {
  get event(): CloudEventV1<unknown> {
    return this.args[0];
  }

  get delivery(): BusDelivery {
    return this.args[1];
  }

  /** The region that published the event (the `region` extension, checked against the topic's owner). */
  get origin(): string {
    return String(this.event['region']);
  }
}
