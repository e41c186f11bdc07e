import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lab results of every region this node knows: its own (issued here) and its peers' (received under consent),
 * told apart by `region`, the issuing city. Catalogues and qualifications are kept per region and version.
 */
export class LabTables1795410000000 implements MigrationInterface {
  name = 'LabTables1795410000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table lab_catalogue_version (
        region text not null,
        version int not null,
        effective_from timestamptz not null,
        published_at timestamptz not null default now(),
        primary key (region, version)
      )`);
    await queryRunner.query(`
      create table lab_catalogue_item (
        region text not null,
        version int not null,
        code text not null,
        name text not null,
        unit text,
        price_fen int not null,
        validity_days int,
        primary key (region, version, code),
        foreign key (region, version) references lab_catalogue_version on delete cascade
      )`);
    await queryRunner.query(`
      create table lab_qualification (
        qualification_id uuid primary key,
        region text not null,
        lab_id text not null,
        lab_name text not null,
        accreditation text not null,
        eqa_result text not null,
        valid_from timestamptz not null,
        valid_until timestamptz not null,
        suspended_from timestamptz,
        suspension_reason text
      )`);
    await queryRunner.query('create index lab_qualification_lab on lab_qualification (region, lab_id)');
    await queryRunner.query(`
      create table lab_report (
        region text not null,
        report_id text not null,
        version int not null,
        patient text not null,
        lab_id text not null,
        lab_name text not null,
        hospital text not null,
        specimen text not null,
        collected_at timestamptz not null,
        reported_at timestamptz not null,
        status text not null,
        cancelled_at timestamptz,
        cancel_reason text,
        primary key (region, report_id)
      )`);
    await queryRunner.query('create index lab_report_patient on lab_report (patient, region)');
    await queryRunner.query(`
      create table lab_report_item (
        region text not null,
        report_id text not null,
        patient text not null,
        collected_at timestamptz not null,
        code text not null,
        name text not null,
        value double precision,
        result_text text,
        unit text,
        reference_range text,
        abnormal boolean not null,
        withdrawn boolean not null default false,
        primary key (region, report_id, code),
        foreign key (region, report_id) references lab_report on delete cascade
      )`);
    // The reuse query's path: a patient's results of one code, newest first (patient and collection copied from the report).
    await queryRunner.query(
      'create index lab_report_item_patient_code on lab_report_item (patient, code, collected_at desc)',
    );
    await queryRunner.query(`
      create table lab_reuse_query (
        query_id uuid primary key,
        patient text not null,
        hospital text not null,
        actor text not null,
        asked_at timestamptz not null
      )`);
    await queryRunner.query(`
      create table lab_reuse_answer (
        query_id uuid not null references lab_reuse_query on delete cascade,
        code text not null,
        reason text not null,
        reusable boolean not null,
        origin text,
        report_id text,
        report_version int,
        catalogue jsonb not null,
        primary key (query_id, code)
      )`);
    await queryRunner.query(`
      create table lab_decision (
        decision_id uuid primary key,
        direction text not null check (direction in ('made', 'received')),
        partner text not null,
        query_id uuid not null,
        patient text not null,
        report_id text not null,
        report_version int not null,
        code text not null,
        outcome text not null,
        reason_code text,
        hospital text not null,
        decided_at timestamptz not null,
        price_fen int not null,
        catalogue jsonb not null,
        unique (query_id, code)
      )`);
    await queryRunner.query('create index lab_decision_month on lab_decision (decided_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'lab_decision',
      'lab_reuse_answer',
      'lab_reuse_query',
      'lab_report_item',
      'lab_report',
      'lab_qualification',
      'lab_catalogue_item',
      'lab_catalogue_version',
    ]) {
      await queryRunner.query(`drop table if exists ${table}`);
    }
  }
}
