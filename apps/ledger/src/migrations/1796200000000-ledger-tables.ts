import { MigrationInterface, QueryRunner } from 'typeorm';

export class LedgerTables1796200000000 implements MigrationInterface {
  name = 'LedgerTables1796200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Co-built projects this city is a party to: proposed when registered, effective when the other city confirms.
    await queryRunner.query(`
      create table ledger_project (
        project_id uuid primary key,
        registered_by text not null,
        fly_out text not null,
        fly_in text not null,
        project jsonb not null,
        status text not null check (status in ('proposed', 'effective')),
        registered_at timestamptz not null,
        confirmed_at timestamptz
      )`);
    // Declarations of every version; a correction is a new row naming the one it corrects, never an update of it.
    await queryRunner.query(`
      create table ledger_declaration (
        declaration_id uuid primary key,
        project_id uuid not null references ledger_project,
        period text not null,
        version int not null,
        corrects uuid references ledger_declaration,
        declared_by text not null,
        amounts jsonb not null,
        split jsonb not null,
        status text not null check (status in ('declared', 'confirmed', 'disputed')),
        answer_split jsonb,
        reason text,
        declared_at timestamptz not null,
        answered_at timestamptz,
        unique (project_id, period, version)
      )`);
    await queryRunner.query(`
      create table ledger_settlement (
        project_id uuid not null references ledger_project,
        period text not null,
        declaration_id uuid not null references ledger_declaration,
        settled_at timestamptz not null,
        primary key (project_id, period)
      )`);
    // Every city's ledger log as this city holds it: its own, and its copy of each peer's. Each entry keeps the head
    // its city signed over the log ending with it, so a changed entry is found and named later.
    await queryRunner.query(`
      create table ledger_log (
        origin text not null,
        idx bigint not null,
        kind text not null,
        entry text not null,
        leaf_hash bytea not null,
        root bytea not null,
        signed_at bigint not null,
        kid text not null,
        signature text not null,
        appended_at timestamptz not null default now(),
        primary key (origin, idx)
      )`);
    // The right edge of each log's tree (its compact range), and the last head times: one row per origin.
    await queryRunner.query(`
      create table ledger_log_state (
        origin text primary key,
        size bigint not null,
        frontier bytea[] not null,
        last_signed_at bigint not null default 0,
        last_head_at bigint not null default 0
      )`);
    // Signed heads: those this city published and those peers submitted to it.
    await queryRunner.query(`
      create table ledger_head (
        origin text not null,
        size bigint not null,
        root bytea not null,
        signed_at bigint not null,
        kid text not null,
        signature text not null,
        received_at timestamptz not null default now(),
        primary key (origin, signed_at)
      )`);
    // Cosignatures: this city's of its peers' heads (witness = this city) and its peers' of its own.
    await queryRunner.query(`
      create table ledger_cosignature (
        log_origin text not null,
        witness text not null,
        size bigint not null,
        root bytea not null,
        signed_at bigint not null,
        cosigned_at bigint not null,
        kid text not null,
        signature text not null,
        primary key (log_origin, witness, signed_at)
      )`);
    await queryRunner.query('create index ledger_cosignature_last on ledger_cosignature (log_origin, witness, size)');
    await queryRunner.query(`
      create table ledger_refusal (
        id bigserial primary key,
        log_origin text not null,
        witness text not null,
        size bigint not null,
        root bytea not null,
        signed_at bigint not null,
        code text not null,
        reason text not null,
        cosigned_size bigint not null,
        first_difference bigint,
        at timestamptz not null default now()
      )`);
    // Two heads signed by one city that cannot both be true: kept as proof.
    await queryRunner.query(`
      create table ledger_equivocation (
        id bigserial primary key,
        origin text not null,
        first jsonb not null,
        second jsonb not null,
        reason text not null,
        detected_at timestamptz not null default now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'ledger_equivocation',
      'ledger_refusal',
      'ledger_cosignature',
      'ledger_head',
      'ledger_log_state',
      'ledger_log',
      'ledger_settlement',
      'ledger_declaration',
      'ledger_project',
    ]) {
      await queryRunner.query(`drop table ${table}`);
    }
  }
}
