/**
 * Protocol errors after which an idempotent producer's state (producer id, epoch, per-partition sequence numbers)
 * no longer matches the broker's, so every later send would fail too. A request refused for its size counts: the
 * partitions of the same request that the broker did append have had their sequence numbers rolled back by kafkajs.
 */
const BROKEN_PRODUCER_TYPES = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'DUPLICATE_SEQUENCE_NUMBER',
  'INVALID_PRODUCER_EPOCH',
  'PRODUCER_FENCED',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_ID_MAPPING',
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
]);

/** The kafkajs protocol error type (`MESSAGE_TOO_LARGE`, …) behind an error, through its retry wrappers. */
export function kafkaErrorType(error: unknown): string | undefined {
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 10; depth++) {
    if ('name' in current && current.name === 'KafkaJSProtocolError' && 'type' in current) {
      return typeof current.type === 'string' ? current.type : undefined;
    }
    current = 'cause' in current ? current.cause : undefined;
  }
  return undefined;
}

/** The producer must be disconnected and replaced by a new one (a new producer id) before it sends again. */
export function isProducerBroken(error: unknown): boolean {
  const type = kafkaErrorType(error);
  return type !== undefined && BROKEN_PRODUCER_TYPES.has(type);
}

/** The broker refused this request for its topic or partitions (size, authorisation, …), not the whole connection. */
export function isTopicScoped(error: unknown): boolean {
  return kafkaErrorType(error) !== undefined;
}
