import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A peer's catalogue version arrives in parts (`lab.catalogue.published.v2`): each part is stored once, and the
 * version counts only when all have arrived. Versions stored before (whole, v1 or local) are complete.
 */
export class LabCatalogueParts1795610000000 implements MigrationInterface {
  name = 'LabCatalogueParts1795610000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      alter table lab_catalogue_version
        add column if not exists parts int not null default 1,
        add column if not exists parts_received int not null default 1`);
    await queryRunner.query(`
      create table if not exists lab_catalogue_part (
        region text not null,
        version int not null,
        part int not null,
        primary key (region, version, part),
        foreign key (region, version) references lab_catalogue_version on delete cascade
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table if exists lab_catalogue_part`);
    await queryRunner.query(`alter table lab_catalogue_version drop column if exists parts_received`);
    await queryRunner.query(`alter table lab_catalogue_version drop column if exists parts`);
  }
}
