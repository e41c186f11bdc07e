import { randomUUID } from 'node:crypto';
import { CloudEvent, CloudEventV1, Kafka as CloudEventsKafka, KafkaMessage } from 'cloudevents';
import { IHeaders, Message } from 'kafkajs';

export interface EnvelopeInput<T> {
  type: string;
  region: string;
  service: string;
  /** Kafka key and CloudEvents subject: a pseudonym or other non-identifying key, never a clear ID number. */
  subject: string;
  data: T;
  id?: string;
  time?: string;
  extensions?: Record<string, string>;
}

export function eventSource(region: string, service: string): string {
  return `/regions/${region}/${service}`;
}

/** CloudEvents 1.0 in Kafka binary mode: attributes as `ce_*` headers, the JSON payload as the value. */
export function toKafkaMessage<T>(input: EnvelopeInput<T>): Message {
  const event = new CloudEvent<string>(
    {
      specversion: '1.0',
      id: input.id ?? randomUUID(),
      type: input.type,
      source: eventSource(input.region, input.service),
      subject: input.subject,
      time: input.time ?? new Date().toISOString(),
      datacontenttype: 'application/json',
      region: input.region,
      ...input.extensions,
      data: JSON.stringify(input.data),
    },
    false,
  );
  const message = CloudEventsKafka.binary(event);
  // The SDK emits every known attribute, unset ones as undefined, which Kafka headers cannot carry.
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined && name !== 'ce_datacontenttype') headers[name] = String(value);
  }
  return { key: input.subject, value: message.value as string, headers };
}

/** Reads the envelope back (the JSON payload parsed, not yet validated); throws on malformed JSON. */
export function fromKafkaMessage(message: {
  key: Buffer | null;
  value: Buffer | null;
  headers?: IHeaders;
}): CloudEventV1<unknown> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value.toString();
  }
  const value = message.value?.toString() ?? '';
  const kafkaMessage: KafkaMessage<string> = { headers, key: message.key?.toString() ?? '', value, body: value };
  return CloudEventsKafka.toEvent(kafkaMessage) as CloudEventV1<unknown>;
}
