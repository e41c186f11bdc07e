import { until } from '../demo-client';
import { DemoStep } from '../demo-runner';
import { DemoContext, DemoState } from '../demo-context';
import { READ } from './record-read';

export const REUSED = 'The doctor reuses the blood count and re-tests ALT; Laixi learns what was saved';

export function resultsReusedStep(demo: DemoContext): DemoStep<DemoState> {
  const { a, b, timeoutMs, city, operatorA, hospitalB } = demo;
  return {
    title: REUSED,
    after: [READ],
    needs: [
      [b, 'lab-results', 'POST /reuse-queries/{queryId}/decisions'],
      [a, 'lab-results', 'GET /statistics'],
    ],
    async run(state, say) {
      const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
      const reusedThere = async () => {
        const { body } = await operatorA.expect<{
          partners: {
            partner: string;
            reusedThere: { recognised: number; retested: number; testsSaved: number; costSavedFen: number };
          }[];
        }>([200], 'lab-results', 'GET', `/statistics?month=${month}`);
        return (
          body.partners.find((p) => p.partner === b)?.reusedThere ?? {
            recognised: 0,
            retested: 0,
            testsSaved: 0,
            costSavedFen: 0,
          }
        );
      };
      const before = await reusedThere();
      const decisions = [
        { code: 'CBC', outcome: 'accepted' },
        { code: 'ALT', outcome: 'retested', reasonCode: 'NOT_REUSABLE' },
      ];
      for (const decision of decisions) {
        await hospitalB.expect(
          [200, 201],
          'lab-results',
          'POST',
          `/reuse-queries/${state.queryId}/decisions`,
          decision,
        );
        say(
          `${hospitalB.label}: ${decision.code} ${decision.outcome}` +
            `${decision.reasonCode ? ` (${decision.reasonCode})` : ''}`,
        );
      }
      const partner = await until(
        `both decisions reported back to ${a}`,
        async () => {
          const there = await reusedThere();
          return there.recognised + there.retested >= before.recognised + before.retested + 2 ? there : undefined;
        },
        timeoutMs,
      );
      say(
        `${city(a)}'s statistics for ${month}: ${b} recognised ${partner.recognised} of its results and re-tested ` +
          `${partner.retested}; tests saved ${partner.testsSaved} (¥${(partner.costSavedFen / 100).toFixed(2)})`,
      );
    },
  };
}
