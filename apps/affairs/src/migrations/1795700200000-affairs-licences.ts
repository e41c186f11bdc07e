import { MigrationInterface, QueryRunner } from 'typeorm';

/** The licence register: this city's own licences (origin = this region) and every peer's, replicated. */
export class AffairsLicences1795700200000 implements MigrationInterface {
  name = 'AffairsLicences1795700200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table affairs_licence (
        licence_id uuid primary key,
        origin text not null,
        application_id uuid,
        credit_code text not null,
        state jsonb not null,
        status text not null check (status in ('valid', 'suspended', 'revoked')),
        version int not null
      )`);
    await queryRunner.query('create index affairs_licence_credit_code on affairs_licence (credit_code)');
    await queryRunner.query(
      'create unique index affairs_licence_one_per_application on affairs_licence (application_id) where application_id is not null',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop table if exists affairs_licence');
  }
}
