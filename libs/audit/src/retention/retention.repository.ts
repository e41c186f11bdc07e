import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RetentionRule } from './retention-rule';

/** The retention job's SQL: one bounded batch of a rule's expired rows. */
@Injectable()
export class RetentionRepository {
  /**
   * Deletes at most `limit` rows of `rule.table` whose time column is before `cutoff` (and that match the rule's
   * condition); rows another transaction holds are skipped for the next batch. Returns how many it deleted.
   */
  async deleteBatch(manager: EntityManager, rule: RetentionRule, cutoff: Date, limit: number): Promise<number> {
    const condition = rule.where ? ` and (${rule.where})` : '';
    const [, deleted] = await manager.query<[unknown[], number]>(
      `delete from ${rule.table} where ctid = any(array(
         select ctid from ${rule.table} where ${rule.timeColumn} < $1${condition} limit $2 for update skip locked))`,
      [cutoff, limit, ...(rule.params ?? [])],
    );
    return deleted;
  }
}
