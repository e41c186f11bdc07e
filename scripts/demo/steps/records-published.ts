import { masked } from '../demo-client';
import { DemoStep } from '../demo-runner';
import { DAY_MS, DemoContext, DemoState } from '../demo-context';
import { LAB_SETUP } from './lab-setup';

export const PUBLISHED = 'A Laixi hospital publishes a discharge summary and a lab report';

export function recordsPublishedStep(demo: DemoContext): DemoStep<DemoState> {
  const { a, patient, run, city, hospitalA, labId } = demo;
  return {
    title: PUBLISHED,
    after: [LAB_SETUP],
    needs: [
      [a, 'health-records', 'POST /records'],
      [a, 'lab-results', 'POST /reports'],
    ],
    async run(state, say) {
      const { body: document } = await hospitalA.expect<{ documentId: string; version: number }>(
        [201],
        'health-records',
        'POST',
        '/records',
        {
          requestId: `demo-${run}-discharge`,
          residentId: patient,
          kind: 'discharge-summary',
          typeCode: 'C0032',
          author: { name: 'Dr. Wang Li', role: 'attending physician' },
          hospital: `${city(a)} People's Hospital`,
          encounterAt: new Date(Date.now() - 6 * DAY_MS).toISOString(),
          body: { diagnosis: 'community-acquired pneumonia', treatment: 'amoxicillin 7 days', outcome: 'recovered' },
        },
      );
      state.documentId = document.documentId;
      say(`${hospitalA.label} publishes a discharge summary of ${masked(patient)}: document ${document.documentId}`);
      const collectedAt = new Date(Date.now() - 5 * DAY_MS);
      state.reportId = `DEMO-${run}`.toUpperCase();
      const { body: report } = await hospitalA.expect<{ reportId: string; sentTo: string[] }>(
        [201],
        'lab-results',
        'POST',
        '/reports',
        {
          reportId: state.reportId,
          residentId: patient,
          labId,
          labName: `${city(a)} People's Hospital clinical laboratory`,
          specimen: 'venous blood',
          collectedAt: collectedAt.toISOString(),
          reportedAt: new Date(collectedAt.getTime() + 3 * 3_600_000).toISOString(),
          items: [
            {
              code: 'CBC',
              name: 'Complete blood count',
              value: 6.1,
              unit: '10^9/L',
              referenceRange: '3.5-9.5',
              abnormal: false,
            },
            {
              code: 'ALT',
              name: 'Alanine aminotransferase',
              value: 32,
              unit: 'U/L',
              referenceRange: '7-40',
              abnormal: false,
            },
          ],
        },
      );
      say(
        `${hospitalA.label} issues lab report ${report.reportId} (CBC, ALT; collected 5 days ago): ` +
          `sent to ${report.sentTo.length > 0 ? report.sentTo.join(', ') : 'no other city yet (no consent)'}`,
      );
    },
  };
}
