import { applyDecorators } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EventPayload, EventType } from '@app/contracts';
import { BusBatchContext, BusContext } from './bus.context';

/** A handler of one event type: its validated payload, as that type's class, and its context. */
export type EventHandlerMethod<T extends EventType> = (payload: EventPayload<T>, context: BusContext) => Promise<void>;

/** A batch handler of one event type: the payloads of a run of consecutive events, in order. */
export type EventBatchHandlerMethod<T extends EventType> = (
  payloads: EventPayload<T>[],
  context: BusBatchContext,
) => Promise<void>;

type MethodDecorator<M> = (target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<M>) => void;

/**
 * Marks a method of a `@Controller()` as the handler of events of `type`, applied through the idempotent inbox in
 * the transaction of `context.manager`. The compiler checks that the method takes `type`'s payload class.
 */
export function OnEvent<T extends EventType>(type: T): MethodDecorator<EventHandlerMethod<T>> {
  return decorate(type, false);
}

/** Like `OnEvent`, for a handler that takes a run of consecutive events of `type` at once (`BusBatchContext`). */
export function OnEventBatch<T extends EventType>(type: T): MethodDecorator<EventBatchHandlerMethod<T>> {
  return decorate(type, true);
}

function decorate<M>(type: EventType, batch: boolean): MethodDecorator<M> {
  return (target, key, descriptor) => {
    applyDecorators(batch ? EventPattern(type, { batch: true }) : EventPattern(type))(target, key, descriptor);
    Payload()(target, key, 0);
    Ctx()(target, key, 1);
  };
}
