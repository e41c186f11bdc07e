import { getMetadataStorage } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { stringify } from 'yaml';
import { EPHEMERAL_EVENT_TYPES, EVENT_TYPES, eventTypeDomain } from './event-types';
import { SERVICES } from './services';

// Nested payload classes (`@Type(() => Item)`) are known only to class-transformer's metadata, which it does not export.
const { defaultMetadataStorage } =
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');

/**
 * The bus's event catalogue as an AsyncAPI 3 document, generated from the payload classes (their class-validator
 * rules become the JSON schemas), so that the documentation cannot drift from what publishers and consumers check.
 */
const REF_PREFIX = '#/components/schemas/';
const REGION_EXAMPLES = ['laixi', 'laiyang'];

export function asyncApiDocument(): string {
  const schemas = validationMetadatasToSchemas({
    classValidatorMetadataStorage: getMetadataStorage(),
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: REF_PREFIX,
  });
  const domains = [...new Set(Object.values(SERVICES).map((service) => service.domain))];
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const [type, payload] of Object.entries(EVENT_TYPES)) {
    const domain = eventTypeDomain(type)!;
    messages[messageName(type)] = {
      name: type,
      title: type,
      summary: EPHEMERAL_EVENT_TYPES.has(type)
        ? 'Ephemeral: applied as it comes, with no inbox record and no sequence number.'
        : 'Delivered through the outbox; applied once through the inbox.',
      contentType: 'application/json',
      headers: { $ref: `${REF_PREFIX}CloudEventHeaders` },
      payload: { $ref: `${REF_PREFIX}${payload.name}` },
      bindings: { kafka: { key: { type: 'string', description: KEY_DESCRIPTION } } },
      'x-domains': domain === 'bus' ? domains : [domain],
    };
  }
  messages.DeadLetter = {
    name: 'dead-letter',
    title: 'A message its consumer could not apply',
    summary: 'The original key, value and headers, byte for byte, plus the reason and where it was read (dlq_*).',
    contentType: 'application/octet-stream',
    headers: { $ref: `${REF_PREFIX}DeadLetterHeaders` },
    payload: { type: 'string', description: 'The original Kafka value, byte for byte (possibly not JSON)' },
    bindings: { kafka: { key: { type: 'string', description: 'The original Kafka key' } } },
  };
  const region = (description: string) => ({ description, examples: REGION_EXAMPLES });
  for (const domain of domains) {
    const carried = Object.keys(EVENT_TYPES).filter((type) => [domain, 'bus'].includes(eventTypeDomain(type)!));
    const refs = Object.fromEntries(
      carried.map((type) => [messageName(type), { $ref: `#/components/messages/${messageName(type)}` }]),
    );
    const broadcast = `${domain}Events`;
    const directed = `${domain}DirectedEvents`;
    channels[broadcast] = {
      address: `{origin}.${domain}`,
      title: `${domain} events, broadcast`,
      description: `Events of the ${domain} domain published by one region for every peer; only that region writes here.`,
      parameters: { origin: region('The origin region, a name in the region registry') },
      messages: refs,
    };
    channels[directed] = {
      address: `{origin}.${domain}.{target}`,
      title: `${domain} events, directed`,
      description:
        `Events of the ${domain} domain that one region addresses to one other region (ce_target, signed): ` +
        'only the target reads and mirrors this topic.',
      parameters: {
        origin: region('The origin region, a name in the region registry'),
        target: region('The region the events are addressed to'),
      },
      messages: refs,
    };
    for (const [name, channel] of [
      [capitalise(domain), broadcast],
      [`${capitalise(domain)}Directed`, directed],
    ]) {
      operations[`publish${name}`] = { action: 'send', channel: { $ref: `#/channels/${channel}` } };
      operations[`consume${name}`] = { action: 'receive', channel: { $ref: `#/channels/${channel}` } };
    }
  }
  channels.deadLetters = {
    address: '{region}.dlq',
    title: 'Dead letters',
    description: 'What one region could not apply, with the reason; only that region writes here (docs/protocol.md).',
    parameters: { region: region('The region whose consumer refused the messages') },
    messages: { DeadLetter: { $ref: '#/components/messages/DeadLetter' } },
  };
  operations.deadLetter = { action: 'send', channel: { $ref: '#/channels/deadLetters' } };
  const payloads = Object.values(EVENT_TYPES).map((payload) => payload.name);
  const document = {
    asyncapi: '3.1.0',
    info: {
      title: 'Shuanglai Bus event catalogue',
      version: '1',
      description:
        'Signed CloudEvents 1.0 in Kafka binary mode between the regions of the Laixi–Laiyang pilot zone; the wire ' +
        'protocol (headers, signature, sequence numbers, checks) is docs/protocol.md. ' +
        'Generated from libs/contracts by `npm run asyncapi`; do not edit by hand.',
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: {
      messages,
      schemas: {
        CloudEventHeaders: CLOUD_EVENT_HEADERS,
        DeadLetterHeaders: DEAD_LETTER_HEADERS,
        ...Object.fromEntries(
          withReferences(payloads, schemas).map((name) => [name, schemas[name] ?? { type: 'object' }]),
        ),
      },
    },
  };
  return stringify(document, { lineWidth: 0 });
}

const KEY_DESCRIPTION = 'The subject (equal to ce_subject): a pseudonym or other non-identifying key';

const CLOUD_EVENT_HEADERS = {
  type: 'object',
  required: ['ce_specversion', 'ce_id', 'ce_type', 'ce_source', 'ce_subject', 'ce_time', 'ce_region', 'ce_sig'],
  properties: {
    ce_specversion: { type: 'string', const: '1.0' },
    ce_id: { type: 'string', format: 'uuid', description: 'Unique id; the de-duplication key' },
    ce_type: { type: 'string', description: 'cn.shuanglai.<domain>.<event>.v<N>' },
    ce_source: { type: 'string', description: '/regions/<region>/<service>' },
    ce_subject: { type: 'string', description: 'Same as the Kafka key' },
    ce_time: { type: 'string', format: 'date-time', description: 'When the event was published; signed' },
    ce_region: { type: 'string', description: 'Origin region; must own the topic prefix' },
    ce_seq: {
      type: 'string',
      pattern: '^[1-9][0-9]{0,18}$',
      description: 'Per-origin, per-topic sequence number (not on ephemeral events)',
    },
    ce_sig: {
      type: 'string',
      pattern: '^([A-Za-z0-9_-]{43}\\.)?[A-Za-z0-9+/]{86}==$',
      description:
        "<kid>.<base64 Ed25519 signature> by the origin region's key named by kid (its RFC 7638 thumbprint), over " +
        'the canonical form of docs/protocol.md; a signature without kid is the earlier scheme v2',
    },
    ce_traceparent: { type: 'string', description: 'W3C trace context' },
    ce_target: { type: 'string', description: 'The region a directed event is addressed to; signed' },
    ce_causationid: { type: 'string', description: 'ce_id of the event that caused this one' },
    ce_correlationid: { type: 'string', description: 'Id of the conversation the event belongs to' },
    'content-type': { type: 'string', const: 'application/json' },
  },
};

const DEAD_LETTER_HEADERS = {
  type: 'object',
  description: "The original message's headers (any of CloudEventHeaders, as received) and these.",
  required: ['dlq_reason_code', 'dlq_reason', 'dlq_topic', 'dlq_partition', 'dlq_offset', 'dlq_consumer', 'dlq_time'],
  properties: {
    dlq_reason_code: { type: 'string', description: 'BUS.* reason code (docs/protocol.md, section 7)' },
    dlq_reason: { type: 'string', maxLength: 1000, description: 'Why, in words' },
    dlq_topic: { type: 'string', description: 'The topic the message was read from' },
    dlq_partition: { type: 'string', pattern: '^[0-9]+$' },
    dlq_offset: { type: 'string', pattern: '^[0-9]+$' },
    dlq_consumer: { type: 'string', description: '<region>.<service> that refused it' },
    dlq_time: { type: 'string', format: 'date-time' },
  },
  additionalProperties: { type: 'string' },
};

/** The named schemas and every schema they reference, transitively (nested item classes), in a stable order. */
function withReferences(names: string[], schemas: Record<string, unknown>): string[] {
  const found = new Set<string>();
  const visit = (name: string) => {
    if (found.has(name)) return;
    found.add(name);
    for (const match of JSON.stringify(schemas[name] ?? {}).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
      visit(match[1]);
    }
  };
  names.forEach(visit);
  return [...names, ...[...found].filter((name) => !names.includes(name)).sort()];
}

function messageName(type: string): string {
  return type.replace(/^cn\.shuanglai\./, '').replace(/[^A-Za-z0-9]+(.)/g, (_, c: string) => c.toUpperCase());
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
