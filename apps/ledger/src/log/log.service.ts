import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusPublisher } from '@app/bus';
import { AppConfig } from '@app/config';
import { LEDGER_ENTRY_APPENDED_V1, LEDGER_HEAD_SUBMITTED_V1, LedgerEntryV1, SignedCheckpointV1 } from '@app/contracts';
import { Clock } from '@app/platform';
import { PeriodicTask } from '@app/runtime';
import { LedgerConfig } from '../ledger.config';
import { LedgerMetrics } from '../ledger.metrics';
import { canonicalJson } from './canonical-json';
import { CheckpointSigner } from './checkpoint-signer';
import { LogRepository, LogState } from './log.repository';
import { CompactRange, consistencyProof, leafHash } from './merkle';

/**
 * This city's ledger log: every entry it makes is appended, with the head it signs over the log ending there, and
 * published to its peers in the same transaction. Periodically (and on demand) it signs its current head and
 * submits it to each peer, with the consistency proof from the last head that peer cosigned.
 */
@Injectable()
export class LogService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LogService.name);
  private readonly task: PeriodicTask;

  constructor(
    private readonly dataSource: DataSource,
    private readonly logs: LogRepository,
    private readonly signer: CheckpointSigner,
    private readonly publisher: BusPublisher,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly metrics: LedgerMetrics,
    ledgerConfig: LedgerConfig,
  ) {
    this.task = new PeriodicTask({
      name: 'ledger heads',
      intervalMs: ledgerConfig.LEDGER_HEAD_INTERVAL_MS,
      logger: this.logger,
      run: () => this.publishHead(),
    });
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** Appends an entry of this city in the caller's transaction; answers its index. */
  async append(manager: EntityManager, entry: LedgerEntryV1): Promise<number> {
    const region = this.config.region;
    await this.logs.lock(manager, region);
    const state = await this.logs.state(manager, region);
    const bytes = canonicalJson(entry);
    const leaf = leafHash(bytes);
    const range = CompactRange.of(state.size, state.frontier);
    range.append(leaf);
    const checkpoint = this.signHead(state, range);
    await this.logs.insertEntry(manager, region, {
      index: state.size,
      kind: entry.kind,
      entry: bytes,
      leafHash: leaf,
      checkpoint,
    });
    await this.logs.saveState(manager, region, {
      ...state,
      size: range.length,
      frontier: [...range.frontier],
      lastSignedAt: Number(checkpoint.timestamp),
    });
    await this.publisher.publish(manager, LEDGER_ENTRY_APPENDED_V1, `ledger-log/${region}`, {
      index: String(state.size),
      entry,
      checkpoint,
    });
    this.metrics.appended.inc({ log: 'own', kind: entry.kind });
    return state.size;
  }

  /** Signs the current head (a new timestamp even if no entry was added) and submits it to every peer. */
  async publishHead(): Promise<SignedCheckpointV1> {
    const region = this.config.region;
    const checkpoint = await this.dataSource.transaction(async (manager) => {
      await this.logs.lock(manager, region);
      const state = await this.logs.state(manager, region);
      const head = this.signHead(state, CompactRange.of(state.size, state.frontier));
      await this.logs.saveState(manager, region, { ...state, lastSignedAt: Number(head.timestamp) });
      await this.logs.insertHead(manager, region, head);
      const leaves = await this.logs.leafHashes(manager, region, state.size);
      for (const peer of this.config.peers) {
        const oldSize = await this.witnessSize(manager, peer);
        const consistency = oldSize <= state.size ? consistencyProof(leaves, oldSize, state.size) : [];
        await this.publisher.publish(
          manager,
          LEDGER_HEAD_SUBMITTED_V1,
          `ledger-head/${region}`,
          { checkpoint: head, oldSize: String(oldSize), consistency: consistency.map((hash) => hash.toString('hex')) },
          { target: peer },
        );
      }
      return head;
    });
    this.metrics.heads.inc({ outcome: 'published' });
    return checkpoint;
  }

  /** The size of the last head of this log that `peer` cosigned, as its cosignatures and refusals tell. */
  private async witnessSize(manager: EntityManager, peer: string): Promise<number> {
    const cosigned = await this.logs.lastCosignature(manager, this.config.region, peer);
    const [refusal] = await this.logs.refusals(manager, this.config.region, 1, peer);
    return Math.max(Number(cosigned?.size ?? 0), Number(refusal?.cosigned_size ?? 0));
  }

  /** Timestamps strictly increase from one head of this log to the next, whatever the clock does. */
  private signHead(state: LogState, range: CompactRange): SignedCheckpointV1 {
    const timestamp = Math.max(this.clock.now().getTime(), state.lastSignedAt + 1);
    return this.signer.sign({
      size: String(range.length),
      root: range.root().toString('hex'),
      timestamp: String(timestamp),
    });
  }
}
