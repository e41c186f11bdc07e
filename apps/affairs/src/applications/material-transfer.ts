import { createHash } from 'node:crypto';
import { OutgoingEvent, decrypt, encryptWith } from '@app/bus';
import { AFFAIRS_MATERIAL_CHUNK_V1, MAX_CHUNK_BYTES, MAX_CHUNKS, MaterialManifestV1 } from '@app/contracts';
import { DomainError } from '@app/http';
import { ReceivedMaterial } from './materials';

/** Room left in each chunk event for its envelope (headers, subject, JSON frame). */
const ENVELOPE_ROOM = 16 * 1024;

/** The largest chunk whose event (base64 ciphertext, envelope) stays under the bus's per-event limit. */
export function chunkBytes(maxMessageBytes: number): number {
  const fits = Math.floor(((maxMessageBytes - ENVELOPE_ROOM) * 3) / 4) - 16;
  return Math.max(4096, Math.min(MAX_CHUNK_BYTES, fits - (fits % 1024)));
}

export function chunkContext(applicationId: string, round: number, code: string, index: number): string {
  return `${applicationId}/${round}/${code}/${index}`;
}

/** The manifest entry of each material and the directed chunk events that carry its content, in order. */
export function materialTransfer(
  applicationId: string,
  round: number,
  materials: readonly ReceivedMaterial[],
  contentKey: Buffer,
  size: number,
  target: string,
): { manifest: MaterialManifestV1[]; chunks: OutgoingEvent[] } {
  const manifest: MaterialManifestV1[] = [];
  const chunks: OutgoingEvent[] = [];
  for (const material of materials) {
    const count = Math.ceil(material.bytes / size);
    if (count > MAX_CHUNKS) {
      throw new DomainError(
        'AFFAIRS.MATERIAL_TOO_LARGE',
        'too-large',
        `${material.code} needs more than ${MAX_CHUNKS} chunks`,
      );
    }
    const { content, ...described } = material;
    manifest.push({ ...described, chunks: count });
    for (let index = 0; index < count; index++) {
      const slice = content.subarray(index * size, (index + 1) * size);
      const { iv, ciphertext } = encryptWith(
        contentKey,
        slice,
        chunkContext(applicationId, round, material.code, index),
      );
      chunks.push({
        type: AFFAIRS_MATERIAL_CHUNK_V1,
        subject: applicationId,
        data: { applicationId, round, materialCode: material.code, index, iv, data: ciphertext },
        options: { target },
      });
    }
  }
  return { manifest, chunks };
}

/**
 * One material put back together from its chunks: decrypted, its size and SHA-256 checked against the manifest.
 * A permanent error when it does not match: the content was altered or lost on the way.
 */
export function reassemble(
  applicationId: string,
  round: number,
  entry: MaterialManifestV1,
  chunks: readonly { index: number; iv: string; data: string }[],
  contentKey: Buffer,
): ReceivedMaterial {
  if (chunks.length !== entry.chunks || chunks.some((chunk, i) => chunk.index !== i)) {
    throw integrity(applicationId, entry.code, `has ${chunks.length} of its ${entry.chunks} chunks`);
  }
  let content: Buffer;
  try {
    content = Buffer.concat(
      chunks.map((chunk) =>
        decrypt(contentKey, chunk.iv, chunk.data, chunkContext(applicationId, round, entry.code, chunk.index)),
      ),
    );
  } catch (error) {
    throw integrity(applicationId, entry.code, `does not decrypt (${(error as Error).message})`);
  }
  const sha256 = createHash('sha256').update(content).digest('base64url');
  if (content.length !== entry.bytes || sha256 !== entry.sha256) {
    throw integrity(applicationId, entry.code, `has ${content.length} bytes hashing to ${sha256}, not the manifest's`);
  }
  return { code: entry.code, fileName: entry.fileName, format: entry.format, bytes: entry.bytes, sha256, content };
}

function integrity(applicationId: string, code: string, what: string): DomainError {
  return new DomainError('AFFAIRS.MATERIAL_INTEGRITY', 'invalid', `Material ${code} of ${applicationId} ${what}`);
}
