import { EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { ACCESS_REPORT_MAX_RESOURCES, ACCESS_REPORT_MAX_SUBJECTS } from '@app/contracts';
import { AccessReportService, PersonalDataRead } from './access-report.service';

describe(AccessReportService.name, () => {
  // The bounds are checked before anything is written: nothing else is reached.
  const unreachable = {} as never;
  const service = new AccessReportService(
    unreachable,
    { region: 'laiyang', service: 'police', registry: new Map([['laixi', {}]]) } as unknown as AppConfig,
    unreachable,
    unreachable,
    unreachable,
    unreachable,
    unreachable,
  );
  const read = (subjects: number, resources: number): PersonalDataRead => ({
    actor: 'officer:laiyang-watch',
    role: 'police-unit',
    org: 'laiyang-watch',
    actorRegion: 'laiyang',
    action: 'police.alert.read',
    purpose: 'delivery:sse',
    subjects: Array.from({ length: subjects }, (_, i) => `p1.s${i}`),
    resourcesByHome: { laixi: Array.from({ length: resources }, (_, i) => `alert-${i}`) },
  });

  it('refuses to record a read naming more persons than one report carries: its caller splits it', async () => {
    await expect(service.recordReads({} as EntityManager, [read(ACCESS_REPORT_MAX_SUBJECTS + 1, 1)])).rejects.toThrow(
      `police.alert.read: a read names at most ${ACCESS_REPORT_MAX_SUBJECTS} persons; split it`,
    );
  });

  it("refuses to record a read listing more of one city's records than one report carries", async () => {
    await expect(service.recordReads({} as EntityManager, [read(1, ACCESS_REPORT_MAX_RESOURCES + 1)])).rejects.toThrow(
      `a read lists at most ${ACCESS_REPORT_MAX_RESOURCES} of laixi's records`,
    );
  });
});
