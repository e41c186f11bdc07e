import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { BusPublisher, Pseudonymizer, ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import { AuditConfig } from './audit.config';
import { AuditModule } from './audit.module';

/** What ServiceCoreModule provides around the audit module, as stand-ins: only the settings are looked at here. */
@Global()
@Module({
  providers: [
    { provide: DataSource, useValue: {} },
    { provide: AppConfig, useValue: { service: 'talent', region: 'laixi' } },
    { provide: BusPublisher, useValue: {} },
    { provide: ReplayService, useValue: {} },
    { provide: Pseudonymizer, useValue: {} },
    { provide: Registry, useFactory: () => new Registry() },
  ],
  exports: [DataSource, AppConfig, BusPublisher, ReplayService, Pseudonymizer, Registry],
})
class Surroundings {}

describe(AuditModule.name, () => {
  it('reads its settings from the environment when imported as it is', async () => {
    const module = await Test.createTestingModule({ imports: [Surroundings, AuditModule] }).compile();
    expect(module.get(AuditConfig)).toEqual({
      AUDIT_ANCHOR_INTERVAL_MS: 300_000,
      RETENTION_INTERVAL_MS: 3_600_000,
      RETENTION_BATCH_SIZE: 1000,
      AUDIT_ACCESS_REPORT_RETENTION_DAYS: 1095,
      AUDIT_ANCHOR_RETENTION_DAYS: 90,
      BUS_DEAD_LETTER_RETENTION_DAYS: 90,
    });
  });

  it('takes the settings given to forRoot', async () => {
    const config = { ...new AuditConfig(), AUDIT_ANCHOR_INTERVAL_MS: 4321 };
    const module = await Test.createTestingModule({ imports: [Surroundings, AuditModule.forRoot(config)] }).compile();
    expect(module.get(AuditConfig)).toBe(config);
  });
});
