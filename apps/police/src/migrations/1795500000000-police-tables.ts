import { MigrationInterface, QueryRunner } from 'typeorm';

export class PoliceTables1795500000000 implements MigrationInterface {
  name = 'PoliceTables1795500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Alerts of every region, as this region knows them: the highest version wins.
    await queryRunner.query(`
      create table police_alert (
        alert_id uuid primary key,
        origin text not null,
        version int not null,
        state jsonb not null
      )`);
    // What this region's units are delivered, in one gapless order: seq is the SSE event id. The counter row
    // serialises writers, so seq order is commit order and a reader never skips a row committed late.
    await queryRunner.query(`
      create table police_feed (
        seq bigint primary key,
        alert_id uuid not null,
        origin text not null,
        kind text not null,
        area text not null,
        severity text not null,
        zone text not null,
        widened boolean not null,
        state jsonb not null,
        at timestamptz not null default now()
      )`);
    await queryRunner.query('create index police_feed_alert on police_feed (alert_id, seq)');
    await queryRunner.query(
      'create table police_feed_counter (id int primary key check (id = 1), last bigint not null)',
    );
    await queryRunner.query('insert into police_feed_counter (id, last) values (1, 0)');
    await queryRunner.query(`
      create table police_subscription (
        subscription_id uuid primary key,
        unit text not null,
        areas text[] not null,
        severities text[] not null,
        zones text[] not null,
        created_at timestamptz not null default now()
      )`);
    await queryRunner.query('create index police_subscription_unit on police_subscription (unit)');
    await queryRunner.query(`
      create table police_shift (
        shift_id uuid primary key,
        region text not null,
        unit text not null,
        zone text not null,
        starts_at timestamptz not null,
        ends_at timestamptz not null
      )`);
    await queryRunner.query('create index police_shift_unit on police_shift (region, unit, ends_at)');
    await queryRunner.query(`
      create table police_receipt (
        alert_id uuid not null,
        region text not null,
        unit text not null,
        received_at timestamptz not null,
        primary key (alert_id, region, unit)
      )`);
    await queryRunner.query(`
      create table police_response (
        alert_id uuid not null,
        region text not null,
        unit text not null,
        status text not null,
        reason text,
        at timestamptz not null,
        primary key (alert_id, region, unit, status)
      )`);
    // One row per alert of this region waiting for an acknowledgement; deleted in the transaction that escalates.
    await queryRunner.query(`
      create table police_escalation_deadline (
        alert_id uuid primary key,
        due_at timestamptz not null
      )`);
    await queryRunner.query('create index police_escalation_due on police_escalation_deadline (due_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'police_escalation_deadline',
      'police_response',
      'police_receipt',
      'police_shift',
      'police_subscription',
      'police_feed_counter',
      'police_feed',
      'police_alert',
    ]) {
      await queryRunner.query(`drop table if exists ${table}`);
    }
  }
}
