import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Anchors: the heads of the peers' chains that this city keeps for them, and the furthest anchor of this city's
 * chain that each peer says it keeps. Access reports: reads of this city's people's data reported by the peers.
 */
export class AuditAnchorsAccessReports1796000000000 implements MigrationInterface {
  name = 'AuditAnchorsAccessReports1796000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table audit_peer_anchor (
        region text not null,
        seq bigint not null,
        hash text not null,
        at timestamptz not null,
        anchored_at timestamptz not null,
        received_at timestamptz not null default now(),
        primary key (region, seq, hash)
      )`);
    await queryRunner.query(`
      create table audit_anchor_ack (
        region text not null,
        seq bigint not null,
        hash text not null,
        at timestamptz not null,
        acknowledged_at timestamptz not null,
        primary key (region, seq, hash)
      )`);
    await queryRunner.query(`
      create table audit_access_report (
        id bigserial primary key,
        reader_region text not null,
        subjects jsonb not null,
        actor text not null,
        role text not null,
        org text not null,
        actor_region text not null,
        action text not null,
        purpose text,
        resources jsonb not null,
        audit_entry_id bigint not null,
        at timestamptz not null,
        received_at timestamptz not null default now(),
        unique (reader_region, audit_entry_id)
      )`);
    await queryRunner.query(
      'create index audit_access_report_subjects on audit_access_report using gin (subjects jsonb_path_ops)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop table if exists audit_access_report');
    await queryRunner.query('drop table if exists audit_anchor_ack');
    await queryRunner.query('drop table if exists audit_peer_anchor');
  }
}
