import { createHash } from 'node:crypto';
import { FieldError, MAX_MATERIALS } from '@app/contracts';
import { MatterEntry } from '../catalogue/matter-catalogue';

/** A file part of the multipart request, as multer hands it over (kept in memory: every size is bounded). */
export interface UploadedMaterial {
  fieldname: string;
  originalname: string;
  size: number;
  buffer: Buffer;
}

export interface ReceivedMaterial {
  code: string;
  fileName: string;
  format: string;
  bytes: number;
  sha256: string;
  content: Buffer;
}

/** The whole of one application's (or one supplement's) materials. */
export const MAX_APPLICATION_BYTES = 25 * 1024 * 1024;

/**
 * Checks the materials' form against the matter (收受分离: the window checks the form, the competent authority the
 * substance): each code known, given once, in an allowed format and size; the mandatory ones present unless
 * `mandatory` is false (a supplement brings only what was asked). One error per field at fault.
 */
export function checkMaterials(
  matter: MatterEntry,
  files: readonly UploadedMaterial[],
  { mandatory = true } = {},
): { materials: ReceivedMaterial[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field, messages: [message] });
  const materials: ReceivedMaterial[] = [];
  const seen = new Set<string>();
  if (files.length > MAX_MATERIALS) fail('materials', `at most ${MAX_MATERIALS} files`);
  let total = 0;
  for (const file of files) {
    const field = `materials.${file.fieldname}`;
    const entry = matter.materials.find((material) => material.code === file.fieldname);
    if (!entry) {
      fail(field, `${matter.code} needs no material ${file.fieldname} (it needs ${codes(matter)})`);
      continue;
    }
    if (seen.has(entry.code)) {
      fail(field, `${entry.code} is given more than once`);
      continue;
    }
    seen.add(entry.code);
    const format = extension(file.originalname);
    if (!entry.formats.includes(format)) {
      fail(field, `${file.originalname} must be one of the formats ${entry.formats.join(', ')}`);
      continue;
    }
    if (file.size === 0) {
      fail(field, `${file.originalname} is empty`);
      continue;
    }
    if (file.size > entry.maxBytes) {
      fail(field, `${file.originalname} has ${file.size} bytes; ${entry.code} allows at most ${entry.maxBytes}`);
      continue;
    }
    total += file.size;
    materials.push({
      code: entry.code,
      fileName: file.originalname.slice(0, 200),
      format,
      bytes: file.size,
      sha256: createHash('sha256').update(file.buffer).digest('base64url'),
      content: file.buffer,
    });
  }
  if (mandatory) {
    for (const entry of matter.materials) {
      if (entry.mandatory && !seen.has(entry.code)) {
        fail(`materials.${entry.code}`, `${entry.name.en} (${entry.code}) is mandatory for ${matter.code}`);
      }
    }
  }
  if (total > MAX_APPLICATION_BYTES) fail('materials', `together at most ${MAX_APPLICATION_BYTES} bytes`);
  return { materials, errors };
}

function extension(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot < 0 ? '' : fileName.slice(dot + 1).toLowerCase();
}

function codes(matter: MatterEntry): string {
  return matter.materials.map((material) => material.code).join(', ') || 'none';
}
