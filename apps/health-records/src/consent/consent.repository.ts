import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** When one of this city's consents starts and ends: a start sends documents, an end asks for purges. */
export interface ConsentWindowRow {
  consent_id: string;
  patient: string;
  starts_at: Date;
  ends_at: Date | null;
  started: boolean;
  ended: boolean;
}

/** A window due now: whether it opens, closes, or both, since the last pass. */
export interface DueWindow extends Pick<ConsentWindowRow, 'consent_id' | 'patient'> {
  opening: boolean;
  closing: boolean;
}

/**
 * The consent feature's SQL beyond `@app/consent` (which owns the `consent` table's rules): the `consent_window`
 * table, and the peers' consents emptied for a replay.
 */
@Injectable()
export class ConsentRepository {
  async insertWindow(
    manager: EntityManager,
    window: Pick<ConsentWindowRow, 'consent_id' | 'patient' | 'started'> & {
      starts_at: string;
      ends_at: string | null;
    },
  ): Promise<void> {
    await manager.query(
      `insert into consent_window (consent_id, patient, starts_at, ends_at, started) values ($1, $2, $3, $4, $5)`,
      [window.consent_id, window.patient, window.starts_at, window.ends_at, window.started],
    );
  }

  /** Up to `limit` windows that opened or closed by `now` and are not handled yet, locked (skipping held ones). */
  async lockDueWindows(manager: EntityManager, now: Date, limit: number): Promise<DueWindow[]> {
    return manager.query<DueWindow[]>(
      `select consent_id, patient, not started and starts_at <= $1 as opening,
              not ended and ends_at is not null and ends_at <= $1 as closing
         from consent_window
        where (not started and starts_at <= $1) or (not ended and ends_at <= $1)
        order by consent_id limit $2 for update skip locked`,
      [now, limit],
    );
  }

  async markWindow(manager: EntityManager, consentId: string, done: { started: boolean; ended: boolean }) {
    await manager.query(
      `update consent_window set started = started or $2, ended = ended or $3 where consent_id = $1`,
      [consentId, done.started, done.ended],
    );
  }

  /** The consents of other cities' patients (this city's own are the authority). */
  async deleteConsentsNotOf(manager: EntityManager, home: string): Promise<void> {
    await manager.query('delete from consent where home <> $1', [home]);
  }
}
