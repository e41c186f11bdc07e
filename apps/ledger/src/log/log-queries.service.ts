import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { DomainError } from '@app/http';
import { LedgerMetrics } from '../ledger.metrics';
import { LogCheckService } from './log-check.service';
import { HeadRow, LogRepository } from './log.repository';
import { consistencyProof, inclusionProof } from './merkle';

const LIST_LIMIT = 1000;

/** One city's log as both cities hold it. */
export interface LogAgreement {
  log: string;
  /** Entries of the log held here. */
  size: number;
  /** Both cities hold the same first `agreedUpTo` entries (this city's copy checked against the log city's signed
   *  heads; the other city's, for this city's own log, by its cosignature). */
  agreedUpTo: number;
  /** The first entry where the two differ, and who found it. */
  firstDifference?: { index: number; foundBy: string; reason: string };
  /** For this city's own log: the furthest head each peer cosigned. */
  cosignedBy?: Record<string, { size: number; at: string } | null>;
}

export interface Agreement {
  region: string;
  agree: boolean;
  summary: string;
  logs: LogAgreement[];
  equivocations: number;
}

function headView(row: HeadRow) {
  return {
    size: Number(row.size),
    root: row.root.toString('hex'),
    timestamp: new Date(Number(row.signed_at)).toISOString(),
    kid: row.kid,
    signature: row.signature,
  };
}

@Injectable()
export class LogQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly logs: LogRepository,
    private readonly check: LogCheckService,
    private readonly config: AppConfig,
    private readonly metrics: LedgerMetrics,
  ) {}

  /** Whether both ledgers agree, and up to which entry; or the first entry where they differ. */
  async agreement(): Promise<Agreement> {
    const stop = this.metrics.agreementSeconds.startTimer();
    const manager = this.dataSource.manager;
    const region = this.config.region;
    const result: LogAgreement[] = [];

    const cosignatures = await Promise.all(
      this.config.peers.map(async (peer) => [peer, await this.logs.lastCosignature(manager, region, peer)] as const),
    );
    const own = await this.check.check(
      manager,
      region,
      cosignatures.map(([, c]) => Number(c?.size ?? 0)),
    );
    const ownView: LogAgreement = { log: region, size: own.size, agreedUpTo: own.size, cosignedBy: {} };
    let difference = own.firstDifference && { ...own.firstDifference, foundBy: region };
    for (const [peer, cosigned] of cosignatures) {
      const size = Number(cosigned?.size ?? 0);
      ownView.cosignedBy![peer] = cosigned
        ? { size, at: new Date(Number(cosigned.cosigned_at) * 1000).toISOString() }
        : null;
      // A cosigned root that this log no longer gives: the difference is in this copy, found above.
      ownView.agreedUpTo = Math.min(
        ownView.agreedUpTo,
        own.roots.get(size) === cosigned?.root.toString('hex') ? size : 0,
      );
      const [refusal] = await this.logs.refusals(manager, region, 1, peer);
      if (
        refusal?.first_difference != null &&
        // Only a refusal of a head signed after the one cosigned still stands.
        Number(refusal.signed_at) > Number(cosigned?.signed_at ?? 0) &&
        (!difference || Number(refusal.first_difference) < difference.index)
      ) {
        difference = { index: Number(refusal.first_difference), foundBy: peer, reason: refusal.reason };
      }
    }
    if (difference) {
      ownView.firstDifference = difference;
      ownView.agreedUpTo = Math.min(ownView.agreedUpTo, difference.index);
    }
    result.push(ownView);

    for (const peer of this.config.peers) {
      const copy = await this.check.check(manager, peer);
      result.push({
        log: peer,
        size: copy.size,
        agreedUpTo: copy.firstDifference?.index ?? copy.size,
        ...(copy.firstDifference && { firstDifference: { ...copy.firstDifference, foundBy: region } }),
      });
    }
    const equivocations = (await this.logs.equivocations(manager, LIST_LIMIT)).length;
    const agree = equivocations === 0 && result.every((log) => !log.firstDifference);
    const summary = result
      .map((log) =>
        log.firstDifference
          ? `${log.log}'s ledger differs at entry ${log.firstDifference.index} (found by ${log.firstDifference.foundBy})`
          : `both ledgers agree on ${log.log}'s log up to entry ${log.agreedUpTo}`,
      )
      .join('; ');
    stop();
    return { region, agree, summary, logs: result, equivocations };
  }

  async entries(log: string, from: number, limit: number) {
    this.assertLog(log);
    const rows = await this.logs.entries(this.dataSource.manager, log, from, Math.min(limit, LIST_LIMIT));
    return rows.map((row) => ({
      index: Number(row.idx),
      kind: row.kind,
      entry: JSON.parse(row.entry) as unknown,
      leafHash: row.leaf_hash.toString('hex'),
      head: {
        size: Number(row.idx) + 1,
        root: row.root.toString('hex'),
        timestamp: row.signed_at,
        kid: row.kid,
        signature: row.signature,
      },
    }));
  }

  async heads(log: string) {
    this.assertLog(log);
    const manager = this.dataSource.manager;
    const heads = await this.logs.heads(manager, log, 20);
    const refusals = await this.logs.refusals(manager, log, 20);
    return {
      log,
      heads: heads.map(headView),
      refusals: refusals.map((row) => ({
        witness: row.witness,
        size: Number(row.size),
        code: row.code,
        reason: row.reason,
        cosignedSize: Number(row.cosigned_size),
        firstDifference: row.first_difference === null ? undefined : Number(row.first_difference),
        at: row.at.toISOString(),
      })),
    };
  }

  async equivocations() {
    const rows = await this.logs.equivocations(this.dataSource.manager, LIST_LIMIT);
    return rows.map((row) => ({
      origin: row.origin,
      first: row.first,
      second: row.second,
      reason: row.reason,
      detectedAt: row.detected_at.toISOString(),
    }));
  }

  /** RFC 9162 inclusion proof of entry `index` in the tree of the first `size` entries of a log held here. */
  async inclusion(log: string, index: number, size: number) {
    const leaves = await this.leaves(log, size);
    if (index >= size) throw new DomainError('LEDGER.NO_SUCH_ENTRY', 'invalid', `index must be below size ${size}`);
    return {
      log,
      index,
      size,
      leafHash: leaves[index].toString('hex'),
      proof: inclusionProof(leaves, index, size).map((hash) => hash.toString('hex')),
    };
  }

  /** RFC 9162 consistency proof between the trees of the first `first` and `second` entries of a log held here. */
  async consistency(log: string, first: number, second: number) {
    const leaves = await this.leaves(log, second);
    if (first > second) throw new DomainError('LEDGER.BAD_SIZES', 'invalid', 'first must not be above second');
    return { log, first, second, proof: consistencyProof(leaves, first, second).map((hash) => hash.toString('hex')) };
  }

  private async leaves(log: string, size: number): Promise<Buffer[]> {
    this.assertLog(log);
    const leaves = await this.logs.leafHashes(this.dataSource.manager, log, size);
    if (leaves.length < size) {
      throw new DomainError(
        'LEDGER.NO_SUCH_SIZE',
        'invalid',
        `${log}'s log holds ${leaves.length} entries here, not ${size}`,
      );
    }
    return leaves;
  }

  private assertLog(log: string): void {
    if (!this.config.registry.has(log)) {
      throw new DomainError('LEDGER.UNKNOWN_LOG', 'not-found', `no region ${log} in the region registry`);
    }
  }
}
