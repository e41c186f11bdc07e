import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** lab-results' own statements on the consents @app/consent keeps (its queries stay in ConsentService). */
@Injectable()
export class ConsentRepository {
  /** Holds the lock of one patient's data from `home` until the transaction ends. */
  async lockPatient(manager: EntityManager, home: string, patient: string): Promise<void> {
    await manager.query('select pg_advisory_xact_lock(hashtext($1))', [`lab-patient:${home}:${patient}`]);
  }

  async deleteAll(manager: EntityManager): Promise<void> {
    await manager.query('delete from consent');
  }
}
