import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditLog1795400100000 implements MigrationInterface {
  name = 'AuditLog1795400100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table audit_log (
        id bigserial primary key,
        at timestamptz not null,
        actor text not null,
        role text not null,
        org text not null,
        actor_region text not null,
        action text not null,
        purpose text,
        subject text,
        resources jsonb not null,
        prev_hash text not null,
        hash text not null unique
      )`);
    await queryRunner.query('create index audit_log_subject on audit_log (subject, id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop table if exists audit_log');
  }
}
