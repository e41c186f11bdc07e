import { randomUUID } from 'node:crypto';
import { Message, Partitioners } from 'kafkajs';
import { EventSigner, OutgoingEvent, buildEnvelope, eventSource, sign } from '@app/bus';
import { PROBE_V1 } from '@app/contracts';
import { PARTITIONS } from './stack';

/** A realistic free-text field of about `bytes` characters (the "~300-byte note"). */
export function note(bytes: number): string {
  const text =
    'Certification of professional qualification recognised by both cities; issuing bureau, grade and validity ' +
    'window checked against the registry; household registration transferred with the applicant consent on file. ';
  return text.repeat(Math.ceil(bytes / text.length)).slice(0, bytes);
}

/** The Kafka key (and CloudEvents subject) of a probe stream, as ProbeService.send names it. */
export function streamKey(stream: string): string {
  return `probe/${stream}`;
}

/**
 * `perPartition` stream names for each of the topic's partitions, by kafkajs's default partitioner (murmur2 of the
 * key, as the relay's producer uses): load spread evenly, so every partition (and consumer slot) takes its share.
 */
export function balancedStreams(prefix: string, perPartition: number, partitions = PARTITIONS): string[] {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
  }));
  const buckets: string[][] = Array.from({ length: partitions }, () => []);
  for (let i = 0; buckets.some((bucket) => bucket.length < perPartition); i++) {
    const stream = `${prefix}-${i}`;
    const partition = partitioner({
      topic: 'any',
      partitionMetadata,
      message: { key: streamKey(stream), value: null },
    });
    if (buckets[partition].length < perPartition) buckets[partition].push(stream);
  }
  // Interleaved, so that consecutive streams land on different partitions.
  return Array.from({ length: perPartition }, (_, i) => buckets.map((bucket) => bucket[i])).flat();
}

export function probeEvent(stream: string, n: number, text: string): OutgoingEvent<typeof PROBE_V1> {
  return { type: PROBE_V1, subject: streamKey(stream), data: { probeId: randomUUID(), stream, n, note: text } };
}

/**
 * The Kafka message the relay would send for this probe: the same envelope headers, value, sequence number and
 * signature, built ahead of time, so that the raw baseline carries exactly the bus's bytes.
 */
export function rawProbeMessage(
  signer: EventSigner,
  region: string,
  stream: string,
  n: number,
  text: string,
): Message & { headers: Record<string, string> } {
  const event = probeEvent(stream, n, text);
  const { headers, payload } = buildEnvelope({
    id: randomUUID(),
    type: event.type,
    source: eventSource(region, 'talent'),
    region,
    subject: event.subject,
    data: event.data,
    extensions: { traceparent: `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01` },
  });
  const seq = String(n);
  return {
    key: event.subject,
    value: payload,
    headers: { ...headers, ce_seq: seq, ce_sig: sign(signer, headers, payload, seq) },
  };
}
