import { until } from '../demo-client';
import { DemoStep } from '../demo-runner';
import { DemoContext, DemoState } from '../demo-context';
import { STACK } from './stack';

export const ALERT = 'A Laixi unit raises a joint-duty alert; a Laiyang unit receives and acknowledges it';

export function jointDutyAlertStep(demo: DemoContext): DemoStep<DemoState> {
  const { a, b, run, timeoutMs, unitA, unitB } = demo;
  return {
    title: ALERT,
    after: [STACK],
    needs: [
      [b, 'police', 'POST /subscriptions'],
      [a, 'police', 'POST /alerts'],
      [b, 'police', 'GET /alerts'],
      [b, 'police', 'POST /alerts/{id}/responses'],
      [a, 'police', 'GET /alerts/{id}'],
    ],
    async run(_state, say) {
      await unitB.expect([201], 'police', 'POST', '/subscriptions', { areas: ['joint-duty'], zones: ['BZ-03'] });
      say(`${unitB.label} follows joint-duty alerts in boundary zone BZ-03`);
      const { body: alert } = await unitA.expect<{ alertId: string; severity: string }>(
        [201],
        'police',
        'POST',
        '/alerts',
        {
          area: 'joint-duty',
          severity: 'P2',
          location: { lat: 36.93, lon: 120.62, zone: 'BZ-03' },
          description: `demo ${run}: a lorry has shed its load across the boundary road`,
          actionRequested: 'close the Laiyang side of the road and divert traffic',
          expiresAt: new Date(Date.now() + 4 * 3_600_000).toISOString(),
        },
      );
      say(`${unitA.label} raises ${alert.severity} joint-duty alert ${alert.alertId}`);
      let after = 0;
      const started = Date.now();
      await until(
        `the alert delivered to ${unitB.org}`,
        async () => {
          const { body } = await unitB.expect<{ items: { alert: { alertId: string } }[]; next: number }>(
            [200],
            'police',
            'GET',
            `/alerts?after=${after}&limit=1000`,
          );
          after = body.next;
          return body.items.some((item) => item.alert.alertId === alert.alertId) ? true : undefined;
        },
        timeoutMs,
      );
      say(`${unitB.label} receives it ${Date.now() - started} ms later`);
      await unitB.expect([200, 201], 'police', 'POST', `/alerts/${alert.alertId}/responses`, {
        status: 'ACKNOWLEDGED',
      });
      say(`${unitB.label} acknowledges`);
      const answered = await until(
        `the acknowledgment back in ${a}`,
        async () => {
          const { body } = await unitA.expect<{
            responses: { status: string; unit?: string; org?: string; region?: string }[];
          }>([200], 'police', 'GET', `/alerts/${alert.alertId}`);
          return body.responses.find((response) => response.status === 'ACKNOWLEDGED');
        },
        timeoutMs,
      );
      say(`${unitA.label} sees: ${answered.unit ?? answered.org ?? unitB.org} ACKNOWLEDGED`);
    },
  };
}
