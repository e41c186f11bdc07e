import { MigrationInterface, QueryRunner } from 'typeorm';

export class HealthRecords1795401000000 implements MigrationInterface {
  name = 'HealthRecords1795401000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // This city's own documents: the only table with clear resident IDs.
    await queryRunner.query(`
      create table health_document (
        document_id uuid primary key,
        org text not null,
        resident_id text not null,
        patient text not null,
        version int not null,
        kind text not null,
        type_code text not null,
        author jsonb not null,
        hospital text not null,
        encounter_at timestamptz not null,
        body jsonb not null,
        retracted_at timestamptz,
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`);
    await queryRunner.query('create index health_document_patient on health_document (patient)');
    // A HIS request id names one write: the same request twice returns the first result.
    await queryRunner.query(`
      create table health_request (
        org text not null,
        request_id text not null,
        operation text not null,
        document_id uuid not null,
        version int not null,
        primary key (org, request_id)
      )`);
    // Purges this city asked of peers that lost a patient's consent, and their confirmations.
    await queryRunner.query(`
      create table health_purge (
        purge_id uuid primary key,
        consent_id uuid not null,
        patient text not null,
        region text not null,
        requested_at timestamptz not null,
        purged_at timestamptz,
        documents int
      )`);
    await queryRunner.query('create index health_purge_consent on health_purge (consent_id)');
    // When this city's consents start and end: a start sends the patient's documents, an end asks for purges.
    await queryRunner.query(`
      create table consent_window (
        consent_id uuid primary key,
        patient text not null,
        starts_at timestamptz not null,
        ends_at timestamptz,
        started boolean not null,
        ended boolean not null default false
      )`);
    await queryRunner.query('create index consent_window_start on consent_window (starts_at) where not started');
    await queryRunner.query('create index consent_window_end on consent_window (ends_at) where not ended');
    // Reads of this city's patients reported by the peers that read them.
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
    // Other cities' documents held under their patients' consent, named by pseudonym only.
    await queryRunner.query(`
      create table replica_document (
        home text not null,
        document_id uuid not null,
        patient text not null,
        version int not null,
        kind text,
        type_code text,
        author jsonb,
        hospital text,
        encounter_at timestamptz,
        body jsonb,
        retracted_at timestamptz,
        updated_at timestamptz not null,
        received_at timestamptz not null default clock_timestamp(),
        primary key (home, document_id)
      )`);
    await queryRunner.query('create index replica_document_patient on replica_document (patient)');
    await queryRunner.query(`
      create table replica_purge (
        purge_id uuid primary key,
        home text not null,
        patient text not null,
        documents int not null,
        purged_at timestamptz not null
      )`);
    // Bookable slots: this city's own (region = this city, with its bookings counted) and the peers' (broadcast).
    await queryRunner.query(`
      create table slot (
        region text not null,
        slot_id uuid not null,
        org text,
        hospital text not null,
        department text not null,
        doctor text not null,
        starts_at timestamptz not null,
        capacity int not null,
        booked int not null default 0,
        withdrawn_at timestamptz,
        primary key (region, slot_id)
      )`);
    await queryRunner.query('create index slot_starts_at on slot (starts_at)');
    // Requests for this city's slots from other cities, as the slot's owner decided them.
    await queryRunner.query(`
      create table slot_booking (
        booking_id uuid primary key,
        slot_id uuid not null,
        requester text not null,
        patient text not null,
        status text not null,
        reason text,
        decided_at timestamptz not null
      )`);
    // This city's bookings of other cities' slots, as the requester sees them.
    await queryRunner.query(`
      create table booking (
        booking_id uuid primary key,
        org text not null,
        resident_id text not null,
        patient text not null,
        slot_region text not null,
        slot_id uuid not null,
        status text not null,
        reason text,
        requested_at timestamptz not null,
        expires_at timestamptz not null,
        answered_at timestamptz
      )`);
    await queryRunner.query(`create index booking_pending on booking (expires_at) where status = 'pending'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'booking',
      'slot_booking',
      'slot',
      'replica_purge',
      'replica_document',
      'health_access_report',
      'health_purge',
      'consent_window',
      'health_request',
      'health_document',
    ]) {
      await queryRunner.query(`drop table if exists ${table}`);
    }
  }
}
