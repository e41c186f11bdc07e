import { MigrationInterface, QueryRunner } from 'typeorm';

export class Consent1795400200000 implements MigrationInterface {
  name = 'Consent1795400200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Grant columns stay null while only the revocation is known (it may arrive first).
    await queryRunner.query(`
      create table consent (
        home text not null,
        consent_id uuid not null,
        patient text not null,
        purpose text,
        grantees text[],
        all_peers boolean not null default false,
        valid_from timestamptz,
        valid_until timestamptz,
        granted_at timestamptz,
        revoked_at timestamptz,
        primary key (home, consent_id)
      )`);
    await queryRunner.query('create index consent_patient on consent (home, patient)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop table if exists consent');
  }
}
