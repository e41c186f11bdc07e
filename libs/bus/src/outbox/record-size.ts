/**
 * What one record adds to a produce request, in bytes, never under-estimated: Kafka's record format v2 frames each
 * record, key, value and header with varints (at most 5 bytes each) beside attributes and deltas.
 */
export function recordBytes(key: string, value: string, headers: Record<string, string>): number {
  let bytes = 32 + Buffer.byteLength(key) + Buffer.byteLength(value);
  for (const [name, header] of Object.entries(headers))
    bytes += 10 + Buffer.byteLength(name) + Buffer.byteLength(header);
  return bytes;
}

/** The request, topic, partition and record batch headers around the records of one produce request. */
export const REQUEST_OVERHEAD_BYTES = 1024;

/** The headers the relay adds when it sends (`ce_seq`, `ce_sig`), with room for a signing key id. */
export const SEND_HEADERS_RESERVE_BYTES = 256;

/** The produce request that would carry this event alone, as the publisher writes it (before `ce_seq`, `ce_sig`). */
export function requestBytesAlone(key: string, value: string, headers: Record<string, string>): number {
  return REQUEST_OVERHEAD_BYTES + recordBytes(key, value, headers) + SEND_HEADERS_RESERVE_BYTES;
}

/**
 * Splits records, in order, into runs whose requests stay within `maxRequestBytes`. A record too large on its own
 * (the publisher refuses those; only an older row can be one) travels alone rather than never.
 */
export function splitBySize<T>(records: T[], sizeOf: (record: T) => number, maxRequestBytes: number): T[][] {
  const budget = maxRequestBytes - REQUEST_OVERHEAD_BYTES;
  const runs: T[][] = [];
  let run: T[] = [];
  let bytes = 0;
  for (const record of records) {
    const size = sizeOf(record);
    if (run.length > 0 && bytes + size > budget) {
      runs.push(run);
      run = [];
      bytes = 0;
    }
    run.push(record);
    bytes += size;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}
