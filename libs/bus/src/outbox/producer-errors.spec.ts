import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { isProducerBroken, isTopicScoped, kafkaErrorType } from './producer-errors';

/** A protocol error as kafkajs raises it from a broker's error code, and as its retrier wraps it. */
function protocolError(type: string, code: number): KafkaJSProtocolError {
  return new KafkaJSProtocolError(Object.assign(new Error(`broker said ${type}`), { type, code, retriable: false }));
}

function afterRetries(error: Error): KafkaJSNumberOfRetriesExceeded {
  return new KafkaJSNumberOfRetriesExceeded(error, { retryCount: 5, retryTime: 5000 });
}

describe(isProducerBroken.name, () => {
  it.each([
    ['OUT_OF_ORDER_SEQUENCE_NUMBER', 45],
    ['DUPLICATE_SEQUENCE_NUMBER', 46],
    ['INVALID_PRODUCER_EPOCH', 47],
    ['UNKNOWN_PRODUCER_ID', 59],
    ['INVALID_PRODUCER_ID_MAPPING', 49],
    ['MESSAGE_TOO_LARGE', 10],
  ])('replaces a producer left out of step by %s, also behind the retrier', (type, code) => {
    expect(isProducerBroken(protocolError(type, code))).toBe(true);
    expect(isProducerBroken(afterRetries(protocolError(type, code)))).toBe(true);
    expect(kafkaErrorType(afterRetries(protocolError(type, code)))).toBe(type);
  });

  it('keeps the producer on errors that say nothing about its state', () => {
    expect(isProducerBroken(protocolError('TOPIC_AUTHORIZATION_FAILED', 29))).toBe(false);
    expect(isProducerBroken(new KafkaJSConnectionError('Connection error: ECONNREFUSED'))).toBe(false);
    expect(isProducerBroken(new Error('OUT_OF_ORDER_SEQUENCE_NUMBER'))).toBe(false);
    expect(isProducerBroken(undefined)).toBe(false);
  });
});

describe(isTopicScoped.name, () => {
  it('holds back one topic for what the broker said about it, not for an unreachable broker', () => {
    expect(isTopicScoped(afterRetries(protocolError('TOPIC_AUTHORIZATION_FAILED', 29)))).toBe(true);
    expect(isTopicScoped(afterRetries(new KafkaJSConnectionError('Connection error: ECONNREFUSED')))).toBe(false);
  });
});
