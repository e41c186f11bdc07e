import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Observable, ReplaySubject } from 'rxjs';
import { SERVICE_NAMES } from '@app/contracts';
import { DomainError } from '@app/http';
import { PeriodicTask } from '@app/runtime';
import { ConsoleConfig, ConsoleTarget } from '../console.config';
import {
  AuditVerdict,
  DeadLetterReport,
  FleetSnapshot,
  HealthBody,
  LedgerAgreementReport,
  NodeReport,
  StreamReport,
  buildSnapshot,
} from './fleet-snapshot';

const REQUEST_TIMEOUT_MS = 3000;
/** The audit chain is recomputed in full on each call: ask for it less often than the rest. */
const AUDIT_EVERY_N_POLLS = 5;

/**
 * Asks every region's services, with an operator token of that region, what the bus looks like from there, and
 * keeps the latest picture for the page. Read-only, except for the replay an operator asks for.
 */
@Injectable()
export class FleetService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(FleetService.name);
  private readonly snapshots = new ReplaySubject<FleetSnapshot>(1);
  private readonly audits = new Map<string, AuditVerdict>();
  private readonly agreements = new Map<string, LedgerAgreementReport>();
  private latest?: FleetSnapshot;
  private polls = 0;
  private polling?: Promise<FleetSnapshot>;
  /** Polls at boot, then every POLL_INTERVAL_MS after the previous poll. */
  private readonly poller: PeriodicTask;

  constructor(private readonly config: ConsoleConfig) {
    this.poller = new PeriodicTask({
      name: 'fleet poll',
      intervalMs: config.pollIntervalMs,
      runAtStart: true,
      run: () => this.refresh(),
      logger: this.logger,
    });
  }

  onApplicationBootstrap(): void {
    this.poller.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.poller.stop();
    this.snapshots.complete();
  }

  get changes(): Observable<FleetSnapshot> {
    return this.snapshots.asObservable();
  }

  async snapshot(): Promise<FleetSnapshot> {
    return this.latest ?? this.refresh();
  }

  /** One poll at a time: callers that arrive during a poll share its result. */
  refresh(): Promise<FleetSnapshot> {
    this.polling ??= this.poll().finally(() => (this.polling = undefined));
    return this.polling;
  }

  async replayDeadLetter(region: string, service: string, id: string): Promise<unknown> {
    const target = this.config.targets.find((t) => t.region === region && t.service === service);
    if (!target) {
      throw new DomainError('CONSOLE.UNKNOWN_NODE', 'not-found', `no ${service} service in region '${region}'`);
    }
    if (!/^\d{1,19}$/.test(id)) throw new DomainError('CONSOLE.BAD_ID', 'invalid', `dead letter id must be a number`);
    const response = await this.call(target, `/bus/dead-letters/${id}/replay`, 'POST').catch((error: unknown) => {
      throw new DomainError('CONSOLE.REPLAY_FAILED', 'unavailable', `${region} ${service}: ${unreachable(error)}`);
    });
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const detail = (body as { detail?: string } | null)?.detail ?? `answered ${response.status}`;
      throw new DomainError('CONSOLE.REPLAY_FAILED', 'unavailable', `${region} ${service}: ${detail}`);
    }
    // A poll under way may have asked before the replay: another one after it.
    this.poller.wake();
    return body;
  }

  private async poll(): Promise<FleetSnapshot> {
    const withAudit = this.polls++ % AUDIT_EVERY_N_POLLS === 0;
    const reports = await Promise.all(this.config.targets.map((target) => this.report(target, withAudit)));
    const regions = this.config.registry.regions.map((region) => ({ name: region.name, label: region.label }));
    this.latest = buildSnapshot(reports, regions, [...SERVICE_NAMES]);
    this.snapshots.next(this.latest);
    return this.latest;
  }

  private async report(target: ConsoleTarget, withAudit: boolean): Promise<NodeReport> {
    const report: NodeReport = { region: target.region, service: target.service, url: target.url };
    const key = `${target.region}/${target.service}`;
    try {
      const health = await this.call(target, '/health');
      report.health = { httpStatus: health.status, body: (await health.json()) as HealthBody };
    } catch (error) {
      report.unreachable = unreachable(error);
      this.audits.delete(key);
      this.agreements.delete(key);
      return report;
    }
    const json = async <T>(path: string): Promise<T | undefined> => {
      const response = await this.call(target, path).catch(() => undefined);
      return response?.ok ? ((await response.json()) as T) : undefined;
    };
    const [metrics, streams, outbox, deadLetters, audit] = await Promise.all([
      this.call(target, '/metrics')
        .then((response) => (response.ok ? response.text() : undefined))
        .catch(() => undefined),
      json<StreamReport[]>('/bus/streams'),
      json<{ pending: number; oldestPendingAt: string | null }>('/bus/outbox'),
      json<DeadLetterReport[]>('/bus/dead-letters?limit=200'),
      withAudit || !this.audits.has(key) ? json<AuditVerdict>('/audit/verify') : Promise.resolve(this.audits.get(key)),
    ]);
    if (audit) this.audits.set(key, audit);
    Object.assign(report, { metrics, streams, outbox, deadLetters, audit });
    // The ledger's agreement check rereads both logs: as rarely as the audit chain.
    if (target.service === 'ledger') {
      const agreement =
        withAudit || !this.agreements.has(key)
          ? await json<LedgerAgreementReport>('/ledger/agreement')
          : this.agreements.get(key);
      if (agreement) this.agreements.set(key, agreement);
      report.ledger = agreement;
    }
    return report;
  }

  private call(target: ConsoleTarget, path: string, method = 'GET'): Promise<Response> {
    return fetch(`${target.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.config.tokenFor(target.region)}` },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  }
}

function unreachable(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  if (cause?.code) return `unreachable (${cause.code})`;
  if ((error as Error).name === 'TimeoutError') return `no answer within ${REQUEST_TIMEOUT_MS} ms`;
  return `unreachable (${(error as Error).message})`;
}
