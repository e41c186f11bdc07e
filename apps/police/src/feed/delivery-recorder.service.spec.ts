import { ACCESS_REPORT_MAX_SUBJECTS, ALERT_MAX_PERSONS } from '@app/contracts';
import { Principal } from '@app/http';
import { Delivery, deliveryReads } from './delivery-recorder.service';

const unit = (org: string): Principal => ({ sub: `officer:${org}`, role: 'police-unit', region: 'laiyang', org });
const at = new Date('2026-11-30T00:00:00Z');
const persons = (alert: number, count: number) => Array.from({ length: count }, (_, i) => `p1.a${alert}-${i}`);

describe(deliveryReads.name, () => {
  it('audits alerts naming no person of another city plainly, and reports the others to their raising city', () => {
    const watch = unit('laiyang-watch');
    const deliveries: Delivery[] = [
      { principal: watch, alertId: 'own', origin: 'laiyang', persons: ['p1.own'], at },
      { principal: watch, alertId: 'nobody', origin: 'laixi', persons: [], at },
      { principal: watch, alertId: 'named', origin: 'laixi', persons: ['p1.x', 'p1.y'], at },
      { principal: watch, alertId: 'third', origin: 'laizhou', persons: ['p1.z'], at },
    ];
    const { entries, reads } = deliveryReads(deliveries, 'sse', 'laiyang');
    expect(entries).toEqual([expect.objectContaining({ org: 'laiyang-watch', resources: ['own', 'nobody'] })]);
    expect(reads).toEqual([
      expect.objectContaining({
        org: 'laiyang-watch',
        action: 'police.alert.read',
        purpose: 'delivery:sse',
        subjects: ['p1.x', 'p1.y'],
        resourcesByHome: { laixi: ['named'] },
      }),
      expect.objectContaining({ subjects: ['p1.z'], resourcesByHome: { laizhou: ['third'] } }),
    ]);
  });

  it('keeps each report within ACCESS_REPORT_MAX_SUBJECTS persons, splitting a page of deliveries between alerts', () => {
    const count = Math.ceil((2.5 * ACCESS_REPORT_MAX_SUBJECTS) / ALERT_MAX_PERSONS);
    const deliveries: Delivery[] = Array.from({ length: count }, (_, i) => ({
      principal: unit('laiyang-watch'),
      alertId: `alert-${i}`,
      origin: 'laixi',
      persons: persons(i, ALERT_MAX_PERSONS),
      at,
    }));
    const { entries, reads } = deliveryReads(deliveries, 'poll', 'laiyang');
    expect(entries).toEqual([]);
    expect(reads).toHaveLength(3);
    for (const read of reads) expect(read.subjects.length).toBeLessThanOrEqual(ACCESS_REPORT_MAX_SUBJECTS);
    // Every alert is in exactly one read, with all its persons.
    expect(reads.flatMap((read) => read.resourcesByHome.laixi)).toEqual(deliveries.map((d) => d.alertId));
    expect(reads.flatMap((read) => read.subjects)).toEqual(deliveries.flatMap((d) => d.persons));
  });

  it('gives each unit its own reads', () => {
    const deliveries: Delivery[] = ['laiyang-watch', 'laiyang-patrol'].map((org) => ({
      principal: unit(org),
      alertId: 'named',
      origin: 'laixi',
      persons: ['p1.x'],
      at,
    }));
    const { reads } = deliveryReads(deliveries, 'sse', 'laiyang');
    expect(reads.map((read) => read.org)).toEqual(['laiyang-watch', 'laiyang-patrol']);
  });
});
