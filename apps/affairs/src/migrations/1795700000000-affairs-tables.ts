import { MigrationInterface, QueryRunner } from 'typeorm';

/** The catalogue versions each city runs: this city's own (origin = this region) and its peers', as published. */
export class AffairsTables1795700000000 implements MigrationInterface {
  name = 'AffairsTables1795700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table affairs_catalogue (
        origin text primary key,
        version text not null,
        digest text not null,
        matters jsonb not null,
        published_at timestamptz not null
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop table if exists affairs_catalogue');
  }
}
