import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { BusPublisher } from '@app/bus';
import { AppConfig } from '@app/config';
import {
  LEDGER_HEAD_COSIGNED_V1,
  LEDGER_HEAD_REFUSED_V1,
  LedgerEntryAppendedV1,
  LedgerHeadCosignedV1,
  LedgerHeadRefusalCode,
  LedgerHeadRefusedV1,
  LedgerHeadSubmittedV1,
  SignedCheckpointV1,
} from '@app/contracts';
import { DomainError } from '@app/http';
import { Clock } from '@app/platform';
import { LedgerMetrics } from '../ledger.metrics';
import { canonicalJson } from './canonical-json';
import { CheckpointSigner } from './checkpoint-signer';
import { LogCheckService } from './log-check.service';
import { LogEntryRow, LogRepository } from './log.repository';
import { CompactRange, leafHash, verifyConsistency } from './merkle';

function storedCheckpoint(index: number, row: LogEntryRow): SignedCheckpointV1 {
  return {
    size: String(index + 1),
    root: row.root.toString('hex'),
    timestamp: row.signed_at,
    kid: row.kid,
    signature: row.signature,
  };
}

/**
 * The peers' logs as this city holds them, and this city as their witness: each peer entry is appended to this
 * city's copy of that peer's log; each head a peer submits is checked (its signature, a newer timestamp, consistency
 * with the last head cosigned here, the root of the copy held here) and cosigned or refused; conflicting heads are
 * kept as proof. Answers from peers about this city's own heads are recorded.
 */
@Injectable()
export class LogProjectionService {
  private readonly logger = new Logger(LogProjectionService.name);

  constructor(
    private readonly logs: LogRepository,
    private readonly check: LogCheckService,
    private readonly signer: CheckpointSigner,
    private readonly publisher: BusPublisher,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly metrics: LedgerMetrics,
  ) {}

  /** Appends a peer's entry to this city's copy of its log; false when the copy holds it already. */
  async copy(manager: EntityManager, origin: string, appended: LedgerEntryAppendedV1): Promise<boolean> {
    const { checkpoint } = appended;
    const index = Number(appended.index);
    if (Number(checkpoint.size) !== index + 1) {
      throw new DomainError('LEDGER.BAD_ENTRY', 'invalid', `the head of entry ${index} must have size ${index + 1}`);
    }
    if (!this.signer.verify(origin, checkpoint)) {
      throw new DomainError(
        'LEDGER.FORGED_HEAD',
        'invalid',
        `the head of ${origin}'s entry ${index} is not signed by ${origin}`,
      );
    }
    await this.logs.lock(manager, origin);
    const state = await this.logs.state(manager, origin);
    const bytes = canonicalJson(appended.entry);
    const leaf = leafHash(bytes);
    if (index < state.size) {
      const held = (await this.logs.entry(manager, origin, index))!;
      if (held.leaf_hash.equals(leaf) && held.root.toString('hex') === checkpoint.root) return false;
      await this.keepConflict(manager, origin, storedCheckpoint(index, held), checkpoint, `two entries ${index}`);
      return false;
    }
    if (index > state.size) {
      // Entries of one log travel in order on one partition: a gap is something not yet (or never) delivered.
      throw new DomainError(
        'LEDGER.LOG_GAP',
        'unavailable',
        `${origin}'s entry ${index} came before entry ${state.size}`,
      );
    }
    const range = CompactRange.of(state.size, state.frontier);
    range.append(leaf);
    if (range.root().toString('hex') !== checkpoint.root) {
      this.logger.warn(`${origin} signed a root after entry ${index} that its entries do not give`);
    }
    await this.logs.insertEntry(manager, origin, {
      index,
      kind: appended.entry.kind,
      entry: bytes,
      leafHash: leaf,
      checkpoint,
    });
    await this.logs.saveState(manager, origin, {
      ...state,
      size: range.length,
      frontier: [...range.frontier],
      lastSignedAt: Math.max(state.lastSignedAt, Number(checkpoint.timestamp)),
    });
    this.metrics.appended.inc({ log: 'peer', kind: appended.entry.kind });
    return true;
  }

  /** As witness (C2SP tlog-witness): cosign a peer's head only if it extends the last one cosigned here. */
  async witness(
    manager: EntityManager,
    origin: string,
    submitted: LedgerHeadSubmittedV1,
    eventId: string,
  ): Promise<void> {
    const head = submitted.checkpoint;
    if (!this.signer.verify(origin, head)) {
      throw new DomainError('LEDGER.FORGED_HEAD', 'invalid', `a head of ${origin}'s log not signed by ${origin}'s key`);
    }
    await this.logs.lock(manager, origin);
    const state = await this.logs.state(manager, origin);
    const last = await this.logs.lastCosignature(manager, origin, this.config.region);
    const lastSize = Number(last?.size ?? 0);
    const size = Number(head.size);
    const refuse = (code: LedgerHeadRefusalCode, reason: string, firstDifference?: number) =>
      this.refuse(manager, origin, head, { code, reason, cosignedSize: lastSize, firstDifference }, eventId);

    if (Number(head.timestamp) <= state.lastHeadAt) {
      return refuse('STALE', `timestamp ${head.timestamp} is not after the last head accepted (${state.lastHeadAt})`);
    }
    await this.logs.saveState(manager, origin, { ...state, lastHeadAt: Number(head.timestamp) });
    await this.logs.insertHead(manager, origin, head);
    const lastHead: SignedCheckpointV1 | undefined = last && {
      size: last.size,
      root: last.root.toString('hex'),
      timestamp: last.signed_at,
      kid: last.kid,
      signature: (await this.logs.headSignature(manager, origin, last.signed_at)) ?? '',
    };
    if (Number(submitted.oldSize) !== lastSize) {
      return refuse('OLD_SIZE', `the last head cosigned here has size ${lastSize}, not ${submitted.oldSize}`);
    }
    const consistent =
      size >= lastSize &&
      verifyConsistency(
        lastSize,
        size,
        last ? last.root : CompactRange.empty().root(),
        Buffer.from(head.root, 'hex'),
        submitted.consistency.map((hash) => Buffer.from(hash, 'hex')),
      );
    if (!consistent) {
      const reason = `no proof that the head of size ${size} extends the one of size ${lastSize} cosigned here`;
      if (lastHead) await this.keepConflict(manager, origin, lastHead, head, reason);
      return refuse('INCONSISTENT', reason);
    }
    if (state.size >= size) {
      const copy = await this.check.check(manager, origin, [size]);
      const root = copy.roots.get(size);
      if (root !== head.root) {
        const held = size > 0 ? await this.logs.entry(manager, origin, size - 1) : undefined;
        if (held && !copy.firstDifference) {
          await this.keepConflict(manager, origin, storedCheckpoint(size - 1, held), head, `two roots at size ${size}`);
        }
        return refuse(
          'MISMATCH',
          `the copy held here does not have this root at size ${size}` +
            (copy.firstDifference ? `: ${copy.firstDifference.reason}` : ''),
          copy.firstDifference?.index,
        );
      }
    }
    const cosignature = this.signer.cosign(origin, head, this.clock.now().getTime());
    await this.logs.insertCosignature(manager, {
      log_origin: origin,
      witness: this.config.region,
      size: head.size,
      root: head.root,
      signed_at: head.timestamp,
      ...{ cosigned_at: cosignature.cosignedAt, kid: cosignature.kid, signature: cosignature.signature },
    });
    const answer: LedgerHeadCosignedV1 = {
      size: head.size,
      root: head.root,
      timestamp: head.timestamp,
      ...cosignature,
    };
    await this.publisher.publish(manager, LEDGER_HEAD_COSIGNED_V1, `ledger-head/${origin}`, answer, {
      target: origin,
      causationId: eventId,
    });
    this.metrics.heads.inc({ outcome: 'cosigned-here' });
  }

  /** A peer cosigned one of this city's heads. */
  async recordCosignature(manager: EntityManager, witness: string, cosigned: LedgerHeadCosignedV1): Promise<void> {
    if (!this.signer.verifyCosignature(witness, this.config.region, cosigned)) {
      throw new DomainError('LEDGER.FORGED_COSIGNATURE', 'invalid', `a cosignature not signed by ${witness}'s key`);
    }
    await this.logs.insertCosignature(manager, {
      log_origin: this.config.region,
      witness,
      size: cosigned.size,
      root: cosigned.root,
      signed_at: cosigned.timestamp,
      cosigned_at: cosigned.cosignedAt,
      kid: cosigned.kid,
      signature: cosigned.signature,
    });
    this.metrics.heads.inc({ outcome: 'cosigned-by-peer' });
  }

  /** A peer refused one of this city's heads. */
  async recordRefusal(manager: EntityManager, witness: string, refused: LedgerHeadRefusedV1): Promise<void> {
    await this.logs.insertRefusal(manager, {
      log_origin: this.config.region,
      witness,
      size: refused.size,
      root: refused.root,
      signed_at: refused.timestamp,
      code: refused.code,
      reason: refused.reason,
      cosigned_size: refused.cosignedSize,
      first_difference: refused.firstDifference ?? null,
    });
    this.logger.warn(`${witness} refused this city's head of size ${refused.size}: ${refused.code} ${refused.reason}`);
    this.metrics.heads.inc({ outcome: 'refused-by-peer' });
  }

  private async refuse(
    manager: EntityManager,
    origin: string,
    head: SignedCheckpointV1,
    refusal: { code: LedgerHeadRefusalCode; reason: string; cosignedSize: number; firstDifference?: number },
    eventId: string,
  ): Promise<void> {
    const answer: LedgerHeadRefusedV1 = {
      size: head.size,
      root: head.root,
      timestamp: head.timestamp,
      code: refusal.code,
      reason: refusal.reason.slice(0, 500),
      cosignedSize: String(refusal.cosignedSize),
      ...(refusal.firstDifference !== undefined && { firstDifference: String(refusal.firstDifference) }),
    };
    await this.logs.insertRefusal(manager, {
      log_origin: origin,
      witness: this.config.region,
      size: answer.size,
      root: answer.root,
      signed_at: answer.timestamp,
      code: answer.code,
      reason: answer.reason,
      cosigned_size: answer.cosignedSize,
      first_difference: answer.firstDifference ?? null,
    });
    await this.publisher.publish(manager, LEDGER_HEAD_REFUSED_V1, `ledger-head/${origin}`, answer, {
      target: origin,
      causationId: eventId,
    });
    this.logger.warn(`refused ${origin}'s head of size ${head.size}: ${refusal.code} ${refusal.reason}`);
    this.metrics.heads.inc({ outcome: `refused-here` });
  }

  /** Two heads signed by one city that cannot both be true: both kept, with why. */
  private async keepConflict(
    manager: EntityManager,
    origin: string,
    first: SignedCheckpointV1,
    second: SignedCheckpointV1,
    reason: string,
  ): Promise<void> {
    await this.logs.insertEquivocation(manager, origin, first, second, reason);
    this.metrics.equivocations.inc({ origin });
    this.logger.error(`${origin} signed conflicting heads (${reason}); both kept as proof`);
  }
}
