import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { PeriodicTask } from '@app/runtime';
import { AuditConfig } from '../audit.config';
import { AuditService } from '../audit.service';
import { RetentionRepository } from './retention.repository';
import { RetentionRule, checkedRule } from './retention-rule';

const DAY_MS = 86_400_000;

/** What one run did to one rule's table; `auditEntryId` is the entry recording it. */
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
 * and a periodic job deletes each table's expired rows in bounded batches, one short transaction each. Every run
 * of every rule is recorded in the hash-chained audit log (table, rows, cutoff), in the transaction of its last
 * batch, so the log shows each deletion. The audit log itself is never a rule's table: it is the proof.
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

  /** The audit library's own personal data: the peers' reports of reads of this city's persons. */
  onModuleInit(): void {
    this.register({
      table: 'audit_access_report',
      timeColumn: 'at',
      setting: 'AUDIT_ACCESS_REPORT_RETENTION_DAYS',
      days: this.config.AUDIT_ACCESS_REPORT_RETENTION_DAYS,
      holds: "peers' reports of reads of this city's persons (pseudonyms, reader, purpose)",
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
    const cutoff = new Date(now.getTime() - rule.days * DAY_MS);
    const limit = this.config.RETENTION_BATCH_SIZE;
    let deleted = 0;
    let batches = 0;
    const result = (auditEntryId?: string, error?: string): RetentionRun => ({
      rule: rule.name,
      table: rule.table,
      cutoff: cutoff.toISOString(),
      deleted,
      batches,
      startedAt,
      finishedAt: new Date().toISOString(),
      ...(auditEntryId && { auditEntryId }),
      ...(error && { error }),
    });
    try {
      for (;;) {
        const step = await this.dataSource.transaction(async (manager) => {
          const count = await this.repository.deleteBatch(manager, rule, cutoff, limit);
          if (count === limit) return { count };
          const entry = await this.audit.append(manager, this.entry(rule, deleted + count, cutoff, batches + 1));
          return { count, entryId: entry.id };
        });
        deleted += step.count;
        batches += 1;
        if (step.entryId) return result(step.entryId);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn(`retention of ${rule.name} failed after ${deleted} rows: ${message}`);
      // The batches committed before the failure are recorded too, if the database lets us.
      const entryId = await this.dataSource
        .transaction((manager) => this.audit.append(manager, this.entry(rule, deleted, cutoff, batches, message)))
        .then((entry) => entry.id)
        .catch(() => undefined);
      return result(entryId, message);
    }
  }

  private entry(rule: RetentionRule & { name: string }, rows: number, cutoff: Date, batches: number, error?: string) {
    return {
      actor: 'retention',
      role: 'system',
      org: this.app.region,
      actorRegion: this.app.region,
      action: error ? 'retention.run.failed' : 'retention.rows.deleted',
      purpose: `retention: ${rule.setting}=${rule.days} days`,
      resources: [
        `table:${rule.table}`,
        `rule:${rule.name}`,
        `rows:${rows}`,
        `cutoff:${cutoff.toISOString()}`,
        `batches:${batches}`,
        ...(error ? [`error:${error.slice(0, 200)}`] : []),
      ],
    };
  }
}
