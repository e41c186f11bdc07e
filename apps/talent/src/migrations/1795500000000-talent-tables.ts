import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each table holds this city's own facts (origin = this region) beside what it projected from its peers' events
 * (origin = the peer), so that a replay empties only the projected rows.
 */
export class TalentTables1795500000000 implements MigrationInterface {
  name = 'TalentTables1795500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table talent_certification (
        certification_id uuid primary key,
        person text not null,
        origin text not null,
        tier text not null,
        field text not null,
        issuing_bureau text not null,
        valid_from date not null,
        valid_until date not null,
        status text not null check (status in ('active', 'suspended', 'revoked')),
        certified_at timestamptz not null,
        version int not null,
        reason text,
        check (valid_until >= valid_from)
      )`);
    await queryRunner.query('create index talent_certification_person on talent_certification (person)');
    await queryRunner.query(
      'create index talent_certification_stats on talent_certification (certified_at, origin, tier)',
    );

    await queryRunner.query(`
      create table talent_hukou_fact (
        fact_id uuid primary key,
        person text not null,
        origin text not null,
        change text not null check (change in ('registered', 'moved-in', 'moved-out')),
        on_date date not null,
        recorded_at timestamptz not null
      )`);
    await queryRunner.query('create index talent_hukou_fact_person on talent_hukou_fact (person, origin, on_date)');

    await queryRunner.query(`
      create table talent_benefit_grant (
        grant_id uuid primary key,
        claim_id uuid unique,
        person text not null,
        benefit_code text not null,
        exclusive boolean not null,
        granted_in text not null,
        origin text not null,
        granted_at timestamptz not null
      )`);
    await queryRunner.query('create index talent_benefit_grant_person on talent_benefit_grant (person)');

    // The certifier's ledger of decisions. The partial unique index is what makes "exactly one grant" hold under
    // concurrency, redelivery and restarts: a second grant of one exclusive benefit to one person cannot commit.
    await queryRunner.query(`
      create table talent_claim_decision (
        claim_id uuid primary key,
        person text not null,
        benefit_code text not null,
        claimant text not null,
        decision text not null check (decision in ('granted', 'denied')),
        reason text,
        granted_in text,
        decided_at timestamptz not null
      )`);
    await queryRunner.query(
      `create unique index talent_one_exclusive_grant on talent_claim_decision (person, benefit_code)
         where decision = 'granted'`,
    );

    // The claimant's own view of the claims it made.
    await queryRunner.query(`
      create table talent_claim (
        claim_id uuid primary key,
        person text not null,
        benefit_code text not null,
        certifier text not null,
        status text not null check (status in ('pending', 'granted', 'denied')),
        reason text,
        granted_in text,
        requested_by text not null,
        requested_at timestamptz not null,
        deadline timestamptz not null,
        decided_at timestamptz
      )`);
    await queryRunner.query('create index talent_claim_person on talent_claim (person)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'talent_claim',
      'talent_claim_decision',
      'talent_benefit_grant',
      'talent_hukou_fact',
      'talent_certification',
    ]) {
      await queryRunner.query(`drop table if exists ${table}`);
    }
  }
}
