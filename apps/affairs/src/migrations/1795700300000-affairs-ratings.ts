import { MigrationInterface, QueryRunner } from 'typeorm';

/** The applicant's rating of a delivered case (好差评), kept by the filing city and by the handling city. */
export class AffairsRatings1795700300000 implements MigrationInterface {
  name = 'AffairsRatings1795700300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['affairs_application', 'affairs_case']) {
      await queryRunner.query(`alter table ${table} add column rating int check (rating between 1 and 5)`);
      await queryRunner.query(`alter table ${table} add column rating_reasons jsonb`);
    }
    await queryRunner.query('create index affairs_case_received on affairs_case (received_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop index if exists affairs_case_received');
    for (const table of ['affairs_application', 'affairs_case']) {
      await queryRunner.query(`alter table ${table} drop column if exists rating`);
      await queryRunner.query(`alter table ${table} drop column if exists rating_reasons`);
    }
  }
}
