import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** lab-results' own statements on the consents @app/consent keeps (its queries stay in ConsentService). */
@Injectable()
export class ConsentRepository {
  async deleteAll(manager: EntityManager): Promise<void> {
    await manager.query('delete from consent');
  }
}
