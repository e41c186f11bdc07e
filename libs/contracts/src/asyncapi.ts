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
export function asyncApiDocument(): string {
  const schemas = validationMetadatasToSchemas({
    classValidatorMetadataStorage: getMetadataStorage(),
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: '#/components/schemas/',
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
      headers: { $ref: '#/components/schemas/CloudEventHeaders' },
      payload: { $ref: `#/components/schemas/${payload.name}` },
      bindings: {
        kafka: { key: { type: 'string', description: 'The subject: a pseudonym or other non-identifying key' } },
      },
      'x-domains': domain === 'bus' ? domains : [domain],
    };
  }
  for (const domain of domains) {
    const channel = `${domain}Events`;
    const carried = Object.keys(EVENT_TYPES).filter((type) => [domain, 'bus'].includes(eventTypeDomain(type)!));
    channels[channel] = {
      address: `{region}.${domain}`,
      description: `Events of the ${domain} domain published by one region; only that region writes here.`,
      parameters: { region: { description: 'The origin region, a name in the region registry' } },
      messages: Object.fromEntries(
        carried.map((type) => [messageName(type), { $ref: `#/components/messages/${messageName(type)}` }]),
      ),
    };
    operations[`publish${capitalise(domain)}`] = { action: 'send', channel: { $ref: `#/channels/${channel}` } };
    operations[`consume${capitalise(domain)}`] = { action: 'receive', channel: { $ref: `#/channels/${channel}` } };
  }
  const document = {
    asyncapi: '3.0.0',
    info: {
      title: 'Shuanglai Bus event catalogue',
      version: '1',
      description:
        'Signed CloudEvents 1.0 in Kafka binary mode between the regions of the Laixi–Laiyang pilot zone. ' +
        'Generated from libs/contracts by `npm run asyncapi`; do not edit by hand.',
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: {
      messages,
      schemas: {
        CloudEventHeaders: {
          type: 'object',
          required: ['ce_specversion', 'ce_id', 'ce_type', 'ce_source', 'ce_subject', 'ce_time', 'ce_region', 'ce_sig'],
          properties: {
            ce_specversion: { type: 'string', const: '1.0' },
            ce_id: { type: 'string', description: 'Unique id; the de-duplication key' },
            ce_type: { type: 'string', description: 'cn.shuanglai.<domain>.<event>.v<N>' },
            ce_source: { type: 'string', description: '/regions/<region>/<service>' },
            ce_subject: { type: 'string', description: 'Same as the Kafka key' },
            ce_time: { type: 'string', format: 'date-time' },
            ce_region: { type: 'string', description: 'Origin region; must own the topic prefix' },
            ce_seq: { type: 'string', description: 'Per-origin, per-topic sequence number (not on ephemeral events)' },
            ce_sig: { type: 'string', description: "Ed25519 signature (base64) by the origin region's key" },
            ce_traceparent: { type: 'string', description: 'W3C trace context' },
            ce_target: { type: 'string', description: 'The region a request is addressed to' },
            ce_causationid: { type: 'string' },
            ce_correlationid: { type: 'string' },
            'content-type': { type: 'string', const: 'application/json' },
          },
        },
        ...Object.fromEntries(
          Object.values(EVENT_TYPES).map((payload) => [payload.name, schemas[payload.name] ?? { type: 'object' }]),
        ),
      },
    },
  };
  return stringify(document, { lineWidth: 0 });
}

function messageName(type: string): string {
  return type.replace(/^cn\.shuanglai\./, '').replace(/[^A-Za-z0-9]+(.)/g, (_, c: string) => c.toUpperCase());
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
