import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LicenceStateV1 } from '@app/contracts';

export interface LicenceRow {
  licence_id: string;
  origin: string;
  state: LicenceStateV1;
}

@Injectable()
export class LicenceRepository {
  async insertOwn(
    manager: EntityManager,
    origin: string,
    applicationId: string,
    state: LicenceStateV1,
  ): Promise<boolean> {
    const inserted = await manager.query<unknown[]>(
      `insert into affairs_licence (licence_id, origin, application_id, credit_code, state, status, version)
       values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing returning licence_id`,
      [state.licenceId, origin, applicationId, state.creditCode, JSON.stringify(state), state.status, state.version],
    );
    return inserted.length > 0;
  }

  /** A peer's licence: the highest version wins, whatever the order of arrival. */
  async upsertReplica(manager: EntityManager, origin: string, state: LicenceStateV1): Promise<void> {
    await manager.query(
      `insert into affairs_licence (licence_id, origin, credit_code, state, status, version)
       values ($1, $2, $3, $4, $5, $6)
       on conflict (licence_id) do update set state = excluded.state, status = excluded.status, version = excluded.version
       where affairs_licence.origin = excluded.origin and affairs_licence.version < excluded.version`,
      [state.licenceId, origin, state.creditCode, JSON.stringify(state), state.status, state.version],
    );
  }

  async lockOwn(manager: EntityManager, origin: string, licenceId: string): Promise<LicenceRow | undefined> {
    const [row] = await manager.query<LicenceRow[]>(
      'select licence_id, origin, state from affairs_licence where licence_id = $1 and origin = $2 for update',
      [licenceId, origin],
    );
    return row;
  }

  async update(manager: EntityManager, state: LicenceStateV1): Promise<void> {
    await manager.query('update affairs_licence set state = $2, status = $3, version = $4 where licence_id = $1', [
      state.licenceId,
      JSON.stringify(state),
      state.status,
      state.version,
    ]);
  }

  async byCreditCode(manager: EntityManager, creditCode: string): Promise<LicenceRow[]> {
    return manager.query<LicenceRow[]>(
      `select licence_id, origin, state from affairs_licence where credit_code = $1
       order by state->>'issuedAt' desc limit 100`,
      [creditCode],
    );
  }

  async byApplication(manager: EntityManager, applicationId: string): Promise<LicenceRow | undefined> {
    const [row] = await manager.query<LicenceRow[]>(
      'select licence_id, origin, state from affairs_licence where application_id = $1',
      [applicationId],
    );
    return row;
  }

  async resetProjected(manager: EntityManager, region: string): Promise<void> {
    await manager.query('delete from affairs_licence where origin <> $1', [region]);
  }
}
