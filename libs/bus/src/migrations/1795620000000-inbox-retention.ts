import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox keeps any CloudEvents id (not only a UUID) and can be pruned: rows are found by event time, and the
 * contiguous run of sequence numbers a stream's pruned rows covered is kept per stream, so that completeness
 * (/bus/streams) shows no false gap where rows were deleted.
 */
export class InboxRetention1795620000000 implements MigrationInterface {
  name = 'InboxRetention1795620000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`alter table bus_inbox alter column event_id type text`);
    await queryRunner.query(`create index if not exists bus_inbox_event_time on bus_inbox (event_time)`);
    await queryRunner.query(`
      create table if not exists bus_inbox_floor (
        origin text not null,
        topic text not null,
        seq bigint not null,
        pruned bigint not null,
        primary key (origin, topic)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table if exists bus_inbox_floor`);
    await queryRunner.query(`drop index if exists bus_inbox_event_time`);
    await queryRunner.query(`alter table bus_inbox alter column event_id type uuid using event_id::uuid`);
  }
}
