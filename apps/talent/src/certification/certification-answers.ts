import { Injectable, OnModuleInit } from '@nestjs/common';
import {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';

const ANSWERED = 'talent.answeredCertificationRequests';

/**
 * Wakes the HTTP requests waiting for the authority's answer to their certification request once the answer has
 * committed in this process (a slow poll covers answers recorded by another instance).
 */
@Injectable()
export class CertificationAnswers implements OnModuleInit, EntitySubscriberInterface {
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    this.dataSource.subscribers.push(this);
  }

  /** The request is answered in the manager's transaction: its waiters wake when that commits. */
  answered(manager: EntityManager, requestId: string): void {
    const runner = manager.queryRunner;
    if (!runner) return;
    const ids = (runner.data as Record<string, string[] | undefined>)[ANSWERED] ?? [];
    runner.data = { ...runner.data, [ANSWERED]: [...ids, requestId] };
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    for (const id of this.take(event)) this.waiters.get(id)?.forEach((wake) => wake());
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    this.take(event);
  }

  /** Resolves when the request's answer commits here, or after `ms` at the latest. */
  next(requestId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const waiters = this.waiters.get(requestId) ?? new Set<() => void>();
      const wake = () => {
        clearTimeout(timer);
        waiters.delete(wake);
        if (waiters.size === 0) this.waiters.delete(requestId);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      waiters.add(wake);
      this.waiters.set(requestId, waiters);
    });
  }

  private take(event: TransactionCommitEvent | TransactionRollbackEvent): string[] {
    const data = event.queryRunner.data as Record<string, string[] | undefined> | undefined;
    const ids = data?.[ANSWERED] ?? [];
    if (ids.length > 0) event.queryRunner.data = { ...data, [ANSWERED]: undefined };
    return ids;
  }
}
