import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reads of this city's patients reported by the peers move to the shared `audit_access_report` (`@app/audit`, one
 * way for every service): the reports kept so far are copied there, then health's own table goes. Its rows name
 * the reader's city as `actor_region` (the event's origin), and only a HIS could read shared records.
 */
export class HealthAccessReportsShared1796100000000 implements MigrationInterface {
  name = 'HealthAccessReportsShared1796100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      insert into audit_access_report
        (reader_region, subjects, actor, role, org, actor_region, action, purpose, resources, audit_entry_id, at)
      select actor_region, jsonb_build_array(patient), actor, 'his', org, actor_region,
             case when jsonb_array_length(documents) = 1 then 'health.record.read' else 'health.record.list' end,
             purpose, documents, audit_entry_id::bigint, at
        from health_access_report
       where audit_entry_id ~ '^[1-9][0-9]{0,18}$'
       order by id
      on conflict (reader_region, audit_entry_id) do nothing`);
    await queryRunner.query('drop table health_access_report');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table health_access_report (
        id bigserial primary key,
        patient text not null,
        actor text not null,
        org text not null,
        actor_region text not null,
        purpose text not null,
        documents jsonb not null,
        audit_entry_id text not null,
        at timestamptz not null,
        unique (actor_region, audit_entry_id)
      )`);
    await queryRunner.query('create index health_access_report_patient on health_access_report (patient, id)');
    await queryRunner.query(`
      insert into health_access_report (patient, actor, org, actor_region, purpose, documents, audit_entry_id, at)
      select subjects->>0, actor, org, reader_region, coalesce(purpose, ''), resources, audit_entry_id::text, at
        from audit_access_report where action like 'health.record.%' order by id
      on conflict do nothing`);
  }
}
