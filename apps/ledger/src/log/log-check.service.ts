import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CheckpointSigner } from './checkpoint-signer';
import { LogRepository } from './log.repository';
import { CompactRange, leafHash } from './merkle';

/** Entries read per query while checking a log. */
const BATCH = 5000;

/** A log as this city holds it, checked against the heads its city signed. */
export interface LogCheck {
  origin: string;
  size: number;
  /** The first entry whose content no longer gives the root its city signed, if any. */
  firstDifference?: { index: number; reason: string };
  /** The recomputed root at each size asked for (hex), up to the first difference. */
  roots: Map<number, string>;
}

/**
 * Recomputes a log from its entries' stored bytes, as its city's signed heads commit to them: each entry's leaf, and
 * the root after it, must equal the root its city signed there. Roots are compared everywhere (hashing only); the
 * signatures are checked by bisection, since every head after a rewritten one no longer verifies: the last head's
 * signature is checked, and only if it fails, O(log n) more.
 */
@Injectable()
export class LogCheckService {
  constructor(
    private readonly logs: LogRepository,
    private readonly signer: CheckpointSigner,
  ) {}

  async check(manager: EntityManager, origin: string, sizes: readonly number[] = []): Promise<LogCheck> {
    const wanted = new Set(sizes);
    const roots = new Map<number, string>();
    if (wanted.has(0)) roots.set(0, CompactRange.empty().root().toString('hex'));
    const range = CompactRange.empty();
    let firstDifference: LogCheck['firstDifference'];
    let size = 0;
    for (let from = 0; ; from += BATCH) {
      const rows = await this.logs.entries(manager, origin, from, BATCH);
      for (const row of rows) {
        const index = Number(row.idx);
        size = index + 1;
        if (firstDifference) continue;
        if (index !== range.length) {
          firstDifference = { index: range.length, reason: `entry ${range.length} is missing` };
          continue;
        }
        range.append(leafHash(row.entry));
        const root = range.root();
        if (!root.equals(row.root)) {
          firstDifference = { index, reason: `entry ${index} does not give the root its city signed after it` };
          continue;
        }
        if (wanted.has(range.length)) roots.set(range.length, root.toString('hex'));
      }
      if (rows.length < BATCH) break;
    }
    const intact = firstDifference?.index ?? size;
    const badSignature = await this.firstBadSignature(manager, origin, intact);
    if (badSignature !== undefined) {
      firstDifference = { index: badSignature, reason: `the head signed after entry ${badSignature} does not verify` };
      for (const at of [...roots.keys()]) if (at > badSignature) roots.delete(at);
    }
    return { origin, size, firstDifference, roots };
  }

  /** The first of the first `count` entries whose signed head fails, if the last one fails; else undefined. */
  private async firstBadSignature(manager: EntityManager, origin: string, count: number): Promise<number | undefined> {
    if (count === 0 || (await this.headVerifies(manager, origin, count - 1))) return undefined;
    let good = -1;
    let bad = count - 1;
    while (bad - good > 1) {
      const middle = Math.floor((good + bad) / 2);
      if (await this.headVerifies(manager, origin, middle)) good = middle;
      else bad = middle;
    }
    return bad;
  }

  private async headVerifies(manager: EntityManager, origin: string, index: number): Promise<boolean> {
    const row = await this.logs.entry(manager, origin, index);
    return (
      row !== undefined &&
      this.signer.verify(origin, {
        size: String(index + 1),
        root: row.root.toString('hex'),
        timestamp: row.signed_at,
        kid: row.kid,
        signature: row.signature,
      })
    );
  }
}
