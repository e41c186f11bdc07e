import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Observable, Subject, filter, race, take, timer } from 'rxjs';
import { Principal } from '@app/http';
import { ConsoleConfig } from '../console.config';

/** One operator's login. */
export interface ConsoleSession {
  /** SHA-256 of the cookie's value: the value itself is never kept. */
  readonly key: string;
  readonly operator: Principal;
  /** Synchronizer token: every state-changing request of this session must carry it (`X-CSRF-Token`). */
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

/** Enough for the operators of one city; past it, the oldest session ends. */
export const MAX_SESSIONS = 256;

/**
 * Sessions in this process's memory: they end when the console restarts (operators log in again), and one console
 * process is all there is. Several processes behind one address would need a shared store.
 */
@Injectable()
export class ConsoleSessionStore {
  private readonly sessions = new Map<string, ConsoleSession>();
  private readonly ended = new Subject<string>();

  constructor(private readonly config: ConsoleConfig) {}

  /** A new session, ending the one it replaces; `id` goes in the cookie. Lives no longer than its token. */
  open(operator: Principal, tokenExpiresAt: Date, replacing?: string): { id: string; session: ConsoleSession } {
    if (replacing) this.end(hash(replacing));
    this.prune();
    for (const oldest of this.sessions.keys()) {
      if (this.sessions.size < MAX_SESSIONS) break;
      this.end(oldest);
    }
    const id = randomBytes(32).toString('base64url');
    const expiresAt = Math.min(Date.now() + this.config.sessionTtlSeconds * 1000, tokenExpiresAt.getTime());
    const session: ConsoleSession = {
      key: hash(id),
      operator,
      csrfToken: randomBytes(32).toString('base64url'),
      expiresAt: new Date(expiresAt),
    };
    this.sessions.set(session.key, session);
    return { id, session };
  }

  /** The live session a cookie value names, if any. */
  find(id: string | undefined): ConsoleSession | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(hash(id));
    if (session && session.expiresAt.getTime() <= Date.now()) {
      this.end(session.key);
      return undefined;
    }
    return session;
  }

  csrfMatches(session: ConsoleSession, given: unknown): boolean {
    if (typeof given !== 'string') return false;
    return timingSafeEqual(Buffer.from(hash(given), 'hex'), Buffer.from(hash(session.csrfToken), 'hex'));
  }

  end(key: string): void {
    if (this.sessions.delete(key)) this.ended.next(key);
  }

  /** Emits once when the session ends: logout, expiry or eviction (its event streams stop then). */
  endOf(session: ConsoleSession): Observable<unknown> {
    return race(timer(session.expiresAt), this.ended.pipe(filter((key) => key === session.key))).pipe(take(1));
  }

  get size(): number {
    return this.sessions.size;
  }

  private prune(): void {
    const now = Date.now();
    for (const session of [...this.sessions.values()]) {
      if (session.expiresAt.getTime() <= now) this.end(session.key);
    }
  }
}

function hash(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
