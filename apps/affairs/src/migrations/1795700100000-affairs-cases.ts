import { MigrationInterface, QueryRunner } from 'typeorm';

const STATUSES = `'submitted', 'received', 'accepted', 'not-accepted', 'supplement-requested', 'supplement-provided',
  'under-review', 'approved', 'denied', 'result-issued', 'delivered'`;

/**
 * The filing city's applications (what its window received and the status the handling city sent back) and the
 * handling city's cases (opened from the transferred application, with their working-day clocks). One city may be
 * both for one application (a matter it handles itself): the two sides keep their own rows.
 */
export class AffairsCases1795700100000 implements MigrationInterface {
  name = 'AffairsCases1795700100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table affairs_application (
        application_id uuid primary key,
        matter_code text not null,
        handling_region text not null,
        applicant_kind text not null check (applicant_kind in ('person', 'enterprise')),
        person text not null,
        credit_code text,
        status text not null check (status in (${STATUSES})),
        version int not null,
        reason text,
        legal_basis text,
        supplement jsonb,
        deadline date,
        delivered_by text,
        supplement_round int not null default 0,
        content_key jsonb not null,
        filed_by text not null,
        filed_at timestamptz not null,
        updated_at timestamptz not null
      )`);
    await queryRunner.query('create index affairs_application_status on affairs_application (status, filed_at)');
    await queryRunner.query(`
      create table affairs_application_history (
        application_id uuid not null references affairs_application on delete cascade,
        version int not null,
        status text not null,
        at timestamptz not null,
        detail jsonb not null default '{}',
        primary key (application_id, version)
      )`);

    // side 'filed': the copy the filing window keeps; side 'handled': what the handling city reassembled.
    await queryRunner.query(`
      create table affairs_material (
        side text not null check (side in ('filed', 'handled')),
        application_id uuid not null,
        round int not null,
        code text not null,
        file_name text not null,
        format text not null,
        bytes int not null,
        sha256 text not null,
        content bytea not null,
        primary key (side, application_id, round, code)
      )`);

    await queryRunner.query(`
      create table affairs_case (
        application_id uuid primary key,
        filing_region text not null,
        matter_code text not null,
        catalogue_version text not null,
        applicant_kind text not null,
        person text not null,
        credit_code text,
        identity jsonb not null,
        content_key text not null,
        delivery text not null,
        status text not null check (status in (${STATUSES})),
        version int not null,
        reason text,
        legal_basis text,
        supplement jsonb,
        round int not null default 0,
        limit_days int not null,
        accepted_on date,
        paused_since date,
        paused_days int not null default 0,
        deadline date,
        warned boolean not null default false,
        escalated boolean not null default false,
        received_at timestamptz not null,
        updated_at timestamptz not null
      )`);
    await queryRunner.query('create index affairs_case_open on affairs_case (status, deadline)');
    await queryRunner.query(`
      create table affairs_case_history (
        application_id uuid not null references affairs_case on delete cascade,
        version int not null,
        status text not null,
        at timestamptz not null,
        actor text,
        detail jsonb not null default '{}',
        primary key (application_id, version)
      )`);

    // What arrived of an application or a supplement and waits for its last chunk.
    await queryRunner.query(`
      create table affairs_inbound (
        application_id uuid not null,
        round int not null,
        origin text not null,
        payload jsonb not null,
        primary key (application_id, round)
      )`);
    await queryRunner.query(`
      create table affairs_chunk (
        application_id uuid not null,
        round int not null,
        material_code text not null,
        index int not null,
        iv text not null,
        data text not null,
        primary key (application_id, round, material_code, index)
      )`);

    // A case's due clock alerts: taken by deleting the row, in the transaction that raises the alert (exactly once).
    await queryRunner.query(`
      create table affairs_case_deadline (
        application_id uuid not null references affairs_case on delete cascade,
        kind text not null check (kind in ('warning', 'overdue')),
        due_at timestamptz not null,
        primary key (application_id, kind)
      )`);
    await queryRunner.query('create index affairs_case_deadline_due on affairs_case_deadline (due_at)');
    await queryRunner.query(`
      create table affairs_clock_alert (
        application_id uuid not null,
        kind text not null check (kind in ('warning', 'overdue')),
        handling_region text not null,
        deadline date not null,
        at timestamptz not null,
        primary key (application_id, kind)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'affairs_clock_alert',
      'affairs_case_deadline',
      'affairs_chunk',
      'affairs_inbound',
      'affairs_case_history',
      'affairs_case',
      'affairs_material',
      'affairs_application_history',
      'affairs_application',
    ]) {
      await queryRunner.query(`drop table if exists ${table}`);
    }
  }
}
