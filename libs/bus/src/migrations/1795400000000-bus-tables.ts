import { MigrationInterface, QueryRunner } from 'typeorm';

/** The bus's own tables, in every service's database: outbox, per-topic sequences, inbox, dead letters, probes. */
export class BusTables1795400000000 implements MigrationInterface {
  name = 'BusTables1795400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table bus_outbox (
        id bigserial primary key,
        event_id uuid not null unique,
        topic text not null,
        key text not null,
        type text not null,
        headers jsonb not null,
        payload text not null,
        created_at timestamptz not null default now(),
        seq bigint,
        signature text,
        attempts int not null default 0,
        last_error text,
        sent_at timestamptz
      )`);
    await queryRunner.query(`create index bus_outbox_pending on bus_outbox (id) where sent_at is null`);
    await queryRunner.query(`create index bus_outbox_sent on bus_outbox (sent_at) where sent_at is not null`);
    await queryRunner.query(`create table bus_outbox_sequence (topic text primary key, last bigint not null)`);
    await queryRunner.query(`
      create table bus_inbox (
        event_id uuid primary key,
        type text not null,
        origin text not null,
        topic text not null,
        partition int not null,
        "offset" bigint not null,
        seq bigint,
        event_time timestamptz not null,
        applied_at timestamptz not null default now()
      )`);
    await queryRunner.query(`create index bus_inbox_stream on bus_inbox (origin, topic, seq)`);
    await queryRunner.query(`
      create table bus_dead_letter (
        id bigserial primary key,
        topic text not null,
        partition int not null,
        "offset" bigint not null,
        event_id text,
        type text,
        origin text,
        seq bigint,
        signed boolean not null,
        reason_code text not null,
        reason text not null,
        key text,
        headers jsonb not null,
        payload text,
        dead_at timestamptz not null default now(),
        replay_count int not null default 0,
        last_replay_at timestamptz,
        resolved_at timestamptz,
        unique (topic, partition, "offset")
      )`);
    await queryRunner.query(`
      create table bus_probe (
        probe_id uuid primary key,
        origin text not null,
        stream text not null,
        n int not null,
        sent_at timestamptz not null,
        applied_at timestamptz not null default clock_timestamp(),
        apply_order bigserial not null
      )`);
    await queryRunner.query(`create index bus_probe_stream on bus_probe (origin, stream, n)`);
    await queryRunner.query(`create table bus_probe_sent (stream text primary key, last int not null)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'bus_probe_sent',
      'bus_probe',
      'bus_dead_letter',
      'bus_inbox',
      'bus_outbox_sequence',
      'bus_outbox',
    ]) {
      await queryRunner.query(`drop table if exists ${table}`);
    }
  }
}
