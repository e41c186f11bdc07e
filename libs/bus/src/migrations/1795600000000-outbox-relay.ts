import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The relay numbers and signs rows in a transaction of its own before it sends them: the numbered rows still
 * pending are found by their own index, and each failed attempt keeps its time beside its error.
 */
export class OutboxRelay1795600000000 implements MigrationInterface {
  name = 'OutboxRelay1795600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`alter table bus_outbox add column if not exists last_attempt_at timestamptz`);
    await queryRunner.query(
      `create index if not exists bus_outbox_numbered on bus_outbox (seq) where sent_at is null and seq is not null`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop index if exists bus_outbox_numbered`);
    await queryRunner.query(`alter table bus_outbox drop column if exists last_attempt_at`);
  }
}
