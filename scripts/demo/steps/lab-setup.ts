import { Actor } from '../demo-client';
import { DemoStep } from '../demo-runner';
import { DemoContext, DemoState } from '../demo-context';
import { STACK } from './stack';

export const LAB_SETUP = "Both cities' lab catalogues are in force and the Laixi hospital's laboratory is qualified";

export function labSetupStep(demo: DemoContext): DemoStep<DemoState> {
  const { a, b, city, operatorA, operatorB, labId } = demo;
  return {
    title: LAB_SETUP,
    after: [STACK],
    needs: [
      [a, 'lab-results', 'POST /catalogue/versions'],
      [b, 'lab-results', 'POST /catalogue/versions'],
      [a, 'lab-results', 'POST /labs/qualifications'],
    ],
    async run(_state, say) {
      // Each city prices and recognises the items on its own terms; the joint catalogue takes the shorter window.
      const catalogues: [Actor, number][] = [
        [operatorA, 3],
        [operatorB, 3],
      ];
      for (const [operator, altDays] of catalogues) {
        const { body } = await operator.expect<{ version?: number }>(
          [201],
          'lab-results',
          'POST',
          '/catalogue/versions',
          {
            items: [
              { code: 'CBC', name: 'Complete blood count', unit: '10^9/L', priceFen: 2500, validityDays: 7 },
              { code: 'ALT', name: 'Alanine aminotransferase', unit: 'U/L', priceFen: 1200, validityDays: altDays },
            ],
          },
        );
        say(
          `${operator.label} publishes lab catalogue${body.version ? ` version ${body.version}` : ''}: ` +
            `CBC recognised 7 days, ALT ${altDays} days`,
        );
      }
      const year = new Date().getUTCFullYear();
      await operatorA.expect([201], 'lab-results', 'POST', '/labs/qualifications', {
        labId,
        labName: `${city(a)} People's Hospital clinical laboratory`,
        accreditation: 'CNAS ML0123',
        eqaResult: 'pass',
        validFrom: `${year - 1}-01-01T00:00:00Z`,
        validUntil: `${year + 1}-12-31T23:59:59Z`,
      });
      say(`${operatorA.label} records the qualification of ${labId} (CNAS accredited, EQA passed)`);
    },
  };
}
