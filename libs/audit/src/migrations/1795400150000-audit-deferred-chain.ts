import { MigrationInterface, QueryRunner } from 'typeorm';
import { GENESIS_HASH, chainHash, contentHash } from '../audit-chain';

/**
 * Entries carry the hash of their content from the access's transaction; the chain links (seq, prev_hash, hash)
 * are added by the sealer after the commit. Entries written before this migration are re-hashed and re-linked
 * in id order (development data only: the pilot had no production log yet).
 */
export class AuditDeferredChain1795400150000 implements MigrationInterface {
  name = 'AuditDeferredChain1795400150000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      alter table audit_log
        add column if not exists content_hash text,
        add column if not exists seq bigint unique,
        alter column prev_hash drop not null,
        alter column hash drop not null`);
    // Only rows never hashed: a database that ran this change under its earlier name keeps its chain.
    const rows = (await queryRunner.query('select * from audit_log where content_hash is null order by id')) as {
      id: string;
      at: Date;
      actor: string;
      role: string;
      org: string;
      actor_region: string;
      action: string;
      purpose: string | null;
      subject: string | null;
      resources: string[];
    }[];
    let prevHash = GENESIS_HASH;
    for (const [i, row] of rows.entries()) {
      const hash = contentHash({
        id: row.id,
        at: row.at.toISOString(),
        actor: row.actor,
        role: row.role,
        org: row.org,
        actorRegion: row.actor_region,
        action: row.action,
        ...(row.purpose !== null && { purpose: row.purpose }),
        ...(row.subject !== null && { subject: row.subject }),
        resources: row.resources,
      });
      const link = chainHash(prevHash, String(i + 1), hash);
      await queryRunner.query(
        'update audit_log set content_hash = $2, seq = $3, prev_hash = $4, hash = $5 where id = $1',
        [row.id, hash, i + 1, prevHash, link],
      );
      prevHash = link;
    }
    await queryRunner.query('alter table audit_log alter column content_hash set not null');
    await queryRunner.query('create index if not exists audit_log_unsealed on audit_log (id) where seq is null');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop index if exists audit_log_unsealed');
    await queryRunner.query('alter table audit_log drop column seq, drop column content_hash');
  }
}
