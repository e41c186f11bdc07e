import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { PeriodicTask } from '@app/runtime';
import { AuditConfig } from '../audit.config';
import { AuditService } from '../audit.service';
import { RetentionMetrics } from './retention.metrics';
import { RetentionRepository } from './retention.repository';
import { RetentionRule, checkedRule } from './retention-rule';

const DAY_MS = 86_400_000;

/** What one run did to one rule's table; `auditEntryId` is its last audit entry (one per batch, or the failure). */
export interface RetentionRun {
  rule: string;
  table: string;
  cutoff: string;
  deleted: number;
  batches: number;
  startedAt: string;
  finishedAt: string;
  auditEntryId?: string;
  error?: string;
}

/**
 * Deletes personal data past its retention: each service registers a rule per table (period from its config),
 * and a periodic job deletes each table's expired rows in bounded batches, one short transaction each. Each batch
 * is recorded in the hash-chained audit log (table, rows, cutoff, run) in its own transaction, so the log shows
 * every deletion that committed, however the run ends (a run that finds nothing is recorded too). The audit log
 * itself is never a rule's table: it is the proof.
 */
@Injectable()
export class RetentionService implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionService.name);
  private readonly rules = new Map<string, RetentionRule & { name: string }>();
  private readonly lastRuns = new Map<string, RetentionRun>();
  private readonly task: PeriodicTask;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly repository: RetentionRepository,
    private readonly config: AuditConfig,
    private readonly app: AppConfig,
    private readonly metrics: RetentionMetrics,
  ) {
    this.task = new PeriodicTask({
      name: 'retention',
      intervalMs: config.RETENTION_INTERVAL_MS,
      logger: this.logger,
      run: () => this.runOnce(),
    });
  }

  /** Called by the features in their `onModuleInit`, before the job starts. */
  register(rule: RetentionRule): void {
    const checked = checkedRule(rule);
    if (checked.table === 'audit_log') throw new Error('retention rule: the audit log is the proof, never pruned');
    if (this.rules.has(checked.name)) throw new Error(`retention rule ${checked.name} is registered twice`);
    this.rules.set(checked.name, checked);
  }

  /** The shared libraries' tables: the peers' reports of reads, the chains' anchors, the bus's dead letters. */
  onModuleInit(): void {
    this.register({
      table: 'audit_access_report',
      timeColumn: 'at',
      setting: 'AUDIT_ACCESS_REPORT_RETENTION_DAYS',
      days: this.config.AUDIT_ACCESS_REPORT_RETENTION_DAYS,
      holds: "peers' reports of reads of this city's persons (pseudonyms, reader, purpose)",
    });
    // A chain's hash at the furthest anchor seals every link before it: the furthest of each peer is always kept.
    for (const [table, timeColumn, holds] of [
      ['audit_peer_anchor', 'received_at', "heads of the peers' audit chains kept for them, once superseded"],
      ['audit_anchor_ack', 'acknowledged_at', "the peers' acknowledgements of this chain's anchors, once superseded"],
    ] as const) {
      this.register({
        table,
        timeColumn,
        where: `seq < (select max(a.seq) from ${table} a where a.region = ${table}.region)`,
        setting: 'AUDIT_ANCHOR_RETENTION_DAYS',
        days: this.config.AUDIT_ANCHOR_RETENTION_DAYS,
        holds,
      });
    }
    // Unresolved dead letters are the operators' work list and stay. A resolved one whose sequence number is above
    // its stream's pruned inbox floor still proves that number was received (/bus/streams): it waits for the floor.
    this.register({
      table: 'bus_dead_letter',
      timeColumn: 'resolved_at',
      where: `not signed or seq is null or seq <= (select f.seq from bus_inbox_floor f
                where f.origin = bus_dead_letter.origin and f.topic = bus_dead_letter.topic)`,
      setting: 'BUS_DEAD_LETTER_RETENTION_DAYS',
      days: this.config.BUS_DEAD_LETTER_RETENTION_DAYS,
      holds: 'resolved dead letters (refused events, payloads with pseudonyms)',
    });
  }

  onApplicationBootstrap(): void {
    if (this.rules.size > 0) this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** One run over every rule, in registration order, with cutoffs from `now` (the service's clock). */
  async runOnce(now: Date = new Date(Date.now() + this.app.clockOffsetMs)): Promise<RetentionRun[]> {
    const runs: RetentionRun[] = [];
    for (const rule of this.rules.values()) {
      const run = await this.runRule(rule, now);
      this.lastRuns.set(rule.name, run);
      runs.push(run);
    }
    return runs;
  }

  /** The rules with their periods and each one's last run, for operators. */
  status() {
    return {
      intervalMs: this.config.RETENTION_INTERVAL_MS,
      batchSize: this.config.RETENTION_BATCH_SIZE,
      rules: [...this.rules.values()].map((rule) => ({
        rule: rule.name,
        table: rule.table,
        holds: rule.holds,
        timeColumn: rule.timeColumn,
        setting: rule.setting,
        days: rule.days,
        lastRun: this.lastRuns.get(rule.name) ?? null,
      })),
    };
  }

  private async runRule(rule: RetentionRule & { name: string }, now: Date): Promise<RetentionRun> {
    const startedAt = new Date().toISOString();
    const run = randomUUID();
    const cutoff = new Date(now.getTime() - rule.days * DAY_MS);
    const limit = this.config.RETENTION_BATCH_SIZE;
    let deleted = 0;
    let batches = 0;
    let lastEntryId: string | undefined;
    const result = (error?: string): RetentionRun => {
      this.metrics.lastRun.set({ rule: rule.name, table: rule.table }, Date.now() / 1000);
      this.metrics.lastRunRows.set({ rule: rule.name, table: rule.table }, deleted);
      return {
        rule: rule.name,
        table: rule.table,
        cutoff: cutoff.toISOString(),
        deleted,
        batches,
        startedAt,
        finishedAt: new Date().toISOString(),
        ...(lastEntryId && { auditEntryId: lastEntryId }),
        ...(error && { error }),
      };
    };
    try {
      for (;;) {
        // A batch's deletion and its audit entry commit together: whenever the run stops (a crash, a failure),
        // every batch that committed is in the log, and none that did not.
        const step = await this.dataSource.transaction(async (manager) => {
          const count = await this.repository.deleteBatch(manager, rule, cutoff, limit);
          // A last batch that finds nothing after others did adds no entry: the batch before it was the run's last.
          if (count === 0 && batches > 0) return { count };
          const entry = this.entry(rule, cutoff, run);
          const { id } = await this.audit.append(manager, {
            ...entry,
            resources: [...entry.resources, `rows:${count}`, `batch:${batches + 1}`],
          });
          return { count, entryId: id };
        });
        deleted += step.count;
        if (step.entryId) {
          batches += 1;
          lastEntryId = step.entryId;
        }
        this.metrics.rowsDeleted.inc({ table: rule.table }, step.count);
        if (step.count < limit) return result();
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn(`retention of ${rule.name} failed after ${deleted} rows: ${message}`);
      // Each committed batch is audited already; the failure is recorded too, if the database lets us.
      const failure = this.entry(rule, cutoff, run);
      lastEntryId =
        (await this.dataSource
          .transaction((manager) =>
            this.audit.append(manager, {
              ...failure,
              action: 'retention.run.failed',
              resources: [
                ...failure.resources,
                `rows:${deleted}`,
                `batches:${batches}`,
                `error:${message.slice(0, 200)}`,
              ],
            }),
          )
          .then((entry) => entry.id)
          .catch(() => undefined)) ?? lastEntryId;
      return result(message);
    }
  }

  /** The audit entry of a batch (or a failed run): the rule, its table and cutoff, and the run it belongs to. */
  private entry(rule: RetentionRule & { name: string }, cutoff: Date, run: string) {
    return {
      actor: 'retention',
      role: 'system',
      org: this.app.region,
      actorRegion: this.app.region,
      action: 'retention.rows.deleted',
      purpose: `retention: ${rule.setting}=${rule.days} days`,
      resources: [`table:${rule.table}`, `rule:${rule.name}`, `cutoff:${cutoff.toISOString()}`, `run:${run}`],
    };
  }
}
