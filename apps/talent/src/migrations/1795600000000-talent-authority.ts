import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The authority over each person's certification and exclusive benefits: who holds it (no row: the person's
 * registrar, a rule every city computes alike) and the requests this city made to take it over before certifying.
 */
export class TalentAuthority1795600000000 implements MigrationInterface {
  name = 'TalentAuthority1795600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table talent_authority (
        person text primary key,
        holder text not null,
        epoch int not null,
        changed_at timestamptz not null default now()
      )`);
    // People certified before the authority existed: their certifier (of the latest certification not revoked) holds it.
    await queryRunner.query(`
      insert into talent_authority (person, holder, epoch)
      select distinct on (person) person, origin, 1 from talent_certification
       order by person, (status <> 'revoked') desc, certified_at desc, certification_id desc`);
    await queryRunner.query(`
      create table talent_certification_request (
        request_id uuid primary key,
        person text not null,
        tier text not null,
        field text not null,
        issuing_bureau text not null,
        valid_from date not null,
        valid_until date not null,
        authority text not null,
        status text not null check (status in ('pending', 'certified', 'refused')),
        certification_id uuid,
        certifier text,
        requested_at timestamptz not null,
        answered_at timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop table if exists talent_certification_request');
    await queryRunner.query('drop table if exists talent_authority');
  }
}
