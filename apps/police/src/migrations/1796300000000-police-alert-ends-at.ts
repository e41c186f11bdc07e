import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When each alert stopped being live, so that its retention can count from it: a closed or cancelled alert's last
 * change, an active one's expiry (or its last change, if later). Written with every version (AlertRepository).
 */
export class PoliceAlertEndsAt1796300000000 implements MigrationInterface {
  name = 'PoliceAlertEndsAt1796300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table police_alert add column ends_at timestamptz');
    await queryRunner.query(`
      update police_alert set ends_at = case when state->>'status' = 'ACTIVE'
        then greatest((state->>'expiresAt')::timestamptz, (state->>'updatedAt')::timestamptz)
        else (state->>'updatedAt')::timestamptz end`);
    await queryRunner.query('alter table police_alert alter column ends_at set not null');
    await queryRunner.query('create index police_alert_ends_at on police_alert (ends_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('alter table police_alert drop column if exists ends_at');
  }
}
