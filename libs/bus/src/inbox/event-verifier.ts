import { CloudEventV1, Kafka as CloudEventsKafka, KafkaMessage } from 'cloudevents';
import { IHeaders } from 'kafkajs';
import {
  EPHEMERAL_EVENT_TYPES,
  RegionRegistry,
  ServiceName,
  consumedDomains,
  eventTypeDomain,
  isEventType,
  parseTopic,
} from '@app/contracts';
import { BusError } from '../bus.errors';
import { BusDelivery } from '../bus.context';
import { signedFields } from '../envelope';
import { validatePayload } from '../payload-validation';
import { EventVerifier as SignatureVerifier } from '../trust';

export const MAX_EVENT_ID_LENGTH = 256;

export interface IncomingMessage extends BusDelivery {
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: IHeaders;
}

export interface VerifiedEvent {
  event: CloudEventV1<unknown>;
  payload: object;
  delivery: BusDelivery;
  origin: string;
  /** The origin's sequence number on this topic; null for ephemeral events. */
  seq: string | null;
  ephemeral: boolean;
  /** The message as received: a dead letter keeps it byte for byte, so that its replay verifies again. */
  message: IncomingMessage;
}

/** What could be read of a rejected message, for the dead-letter record. */
export interface RejectedEvent {
  error: BusError;
  /** The origin's signature checked out: the message is really the origin's, so its sequence number counts. */
  signed: boolean;
  id?: string;
  type?: string;
  origin?: string;
  seq?: string;
}

export type Verdict = { ok: true; event: VerifiedEvent } | ({ ok: false } & RejectedEvent);

/**
 * Decides whether a message from a consumed topic may be applied by `service` of `region`: a well-formed
 * CloudEvent, from the region that owns the topic, signed by a key of that region in force at the event's time,
 * keyed by its subject, addressed to this region when the topic is directed (the target is signed), of a known
 * type that belongs on this topic, with a valid payload. The steps and their order are docs/protocol.md's.
 */
export class InboundVerifier {
  private readonly signatures: SignatureVerifier;
  private readonly domains: ReadonlySet<string>;

  constructor(
    private readonly registry: RegionRegistry,
    private readonly region: string,
    service: ServiceName,
  ) {
    this.signatures = new SignatureVerifier((name) => registry.keys(name));
    this.domains = new Set(consumedDomains(service));
  }

  async verify(message: IncomingMessage): Promise<Verdict> {
    const headers = stringHeaders(message.headers);
    const seen: Omit<RejectedEvent, 'error'> = {
      signed: false,
      id: headers.ce_id,
      type: headers.ce_type,
      origin: headers.ce_region,
      seq: headers.ce_seq,
    };
    const reject = (error: BusError, signed = false): Verdict => ({ ok: false, ...seen, signed, error });
    const value = message.value === null ? '' : message.value.toString();
    const delivery = { topic: message.topic, partition: message.partition, offset: message.offset };

    let event: CloudEventV1<unknown>;
    try {
      const kafkaMessage: KafkaMessage<string> = { headers, key: message.key?.toString() ?? '', value, body: value };
      event = CloudEventsKafka.toEvent(kafkaMessage) as CloudEventV1<unknown>;
    } catch (error) {
      const malformed = error instanceof SyntaxError;
      return reject(
        new BusError(malformed ? 'BUS.MALFORMED' : 'BUS.INVALID_ENVELOPE', (error as Error).message, false, {
          cause: error,
        }),
      );
    }

    const origin = headers.ce_region;
    const topic = parseTopic(message.topic);
    const owner = topic?.owner ?? '';
    if (!origin || !headers.ce_sig || !event.subject || !headers.ce_time) {
      return reject(new BusError('BUS.INVALID_ENVELOPE', 'region, sig, subject and time are required'));
    }
    // Any CloudEvents id string is accepted (not only a UUID), bounded as the inbox stores it.
    if (typeof event.id !== 'string' || event.id.length === 0 || event.id.length > MAX_EVENT_ID_LENGTH) {
      return reject(new BusError('BUS.INVALID_ENVELOPE', `id must be 1 to ${MAX_EVENT_ID_LENGTH} characters`));
    }
    if (Number.isNaN(Date.parse(headers.ce_time))) {
      return reject(new BusError('BUS.INVALID_ENVELOPE', `time '${headers.ce_time}' is not an RFC 3339 time`));
    }
    if (origin !== owner || !event.source.startsWith(`/regions/${origin}/`)) {
      return reject(
        new BusError('BUS.WRONG_REGION', `event of region '${origin}' on ${message.topic} (owner '${owner}')`),
      );
    }
    if (!this.registry.has(origin)) {
      return reject(new BusError('BUS.UNKNOWN_REGION', `region '${origin}' is not in the region registry`));
    }
    const ephemeral = EPHEMERAL_EVENT_TYPES.has(event.type);
    const seq = headers.ce_seq ?? null;
    if (!ephemeral && (seq === null || !/^[1-9]\d{0,18}$/.test(seq))) {
      return reject(new BusError('BUS.INVALID_ENVELOPE', 'seq must be a positive whole number'));
    }
    // The data is hashed as the bytes that arrived, not as their decoding.
    const raw = Buffer.isBuffer(message.value) ? message.value : Buffer.from(value);
    const check = await this.signatures.verify(
      { ...signedFields(headers, value, seq ?? ''), data: raw },
      headers.ce_sig,
    );
    if (!check.ok) return reject(check.error);
    // The key is not signed: a message moved to another key would be ordered among that key's events instead.
    const key = message.key === null ? null : message.key.toString();
    if (key !== event.subject) {
      return reject(new BusError('BUS.KEY_MISMATCH', `Kafka key '${key}' is not the signed subject`), true);
    }

    if (!isEventType(event.type)) return reject(new BusError('BUS.UNKNOWN_TYPE', `unknown type ${event.type}`), true);
    const domain = eventTypeDomain(event.type);
    if (!topic || !this.domains.has(topic.domain) || (domain !== 'bus' && domain !== topic.domain)) {
      return reject(new BusError('BUS.WRONG_TOPIC', `${event.type} does not belong on ${message.topic}`), true);
    }
    if ((headers.ce_target ?? undefined) !== topic.target) {
      return reject(
        new BusError('BUS.WRONG_TOPIC', `event for '${headers.ce_target ?? 'all'}' on ${message.topic}`),
        true,
      );
    }
    if (topic.target !== undefined && topic.target !== this.region) {
      return reject(new BusError('BUS.WRONG_TOPIC', `event addressed to '${topic.target}', not to this region`), true);
    }
    try {
      const payload = validatePayload(event.type, event.data);
      return { ok: true, event: { event, payload, delivery, origin, seq, ephemeral, message } };
    } catch (error) {
      return reject(error as BusError, true);
    }
  }
}

export function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) result[name] = Array.isArray(value) ? value.map(String).join(',') : value.toString();
  }
  return result;
}
