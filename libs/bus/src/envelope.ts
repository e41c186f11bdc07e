import { CloudEvent, Kafka as CloudEventsKafka } from 'cloudevents';
import { EventSigner, SignedFields } from './trust';

export function eventSource(region: string, service: string): string {
  return `/regions/${region}/${service}`;
}

/** The signed fields of an event as its Kafka binary-mode headers and value carry them. */
export function signedFields(headers: Record<string, string>, payload: string, seq: string): SignedFields {
  return {
    id: headers.ce_id,
    type: headers.ce_type,
    source: headers.ce_source,
    region: headers.ce_region,
    subject: headers.ce_subject,
    time: headers.ce_time,
    seq,
    target: headers.ce_target ?? '',
    data: Buffer.from(payload),
  };
}

export function sign(signer: EventSigner, headers: Record<string, string>, payload: string, seq = ''): string {
  return signer.sign(signedFields(headers, payload, seq));
}

export interface EnvelopeInput {
  id: string;
  type: string;
  source: string;
  region: string;
  subject: string;
  data: unknown;
  /** CloudEvents extension attributes (lower-case names): traceparent, target, causationid, … */
  extensions?: Record<string, string | undefined>;
}

/**
 * CloudEvents 1.0 in Kafka binary mode: the SDK checks the attributes and maps them to `ce_*` headers; the JSON
 * payload is the value. The signature and sequence number are added when the event is sent.
 */
export function buildEnvelope(input: EnvelopeInput): { headers: Record<string, string>; payload: string } {
  const extensions = Object.fromEntries(Object.entries(input.extensions ?? {}).filter(([, value]) => value));
  const event = new CloudEvent<string>({
    specversion: '1.0',
    id: input.id,
    type: input.type,
    source: input.source,
    subject: input.subject,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    region: input.region,
    ...extensions,
    data: JSON.stringify(input.data),
  });
  const headers: Record<string, string> = {};
  // The SDK emits unset attributes as undefined (Kafka headers cannot carry them) and repeats content-type.
  for (const [name, value] of Object.entries(CloudEventsKafka.binary(event).headers)) {
    if (value !== undefined && name !== 'ce_datacontenttype') headers[name] = String(value);
  }
  return { headers, payload: event.data! };
}
