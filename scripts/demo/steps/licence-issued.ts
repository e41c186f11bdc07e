import { randomBytes, randomInt } from 'node:crypto';
import { creditCodeCheckCharacter } from '@app/contracts';
import { syntheticResidentId, until } from '../demo-client';
import { DemoStep } from '../demo-runner';
import { DemoContext, DemoState } from '../demo-context';
import { STACK } from './stack';

export const LICENCE = "An enterprise files at Laiyang's joint window for a licence Laixi issues; Laiyang verifies it";

/** Food business licence: handled where the enterprise is registered (its credit code's division). */
const MATTER = 'ENT-FOOD-BIZ';

export function licenceIssuedStep(demo: DemoContext): DemoStep<DemoState> {
  const { a, b, clerkB, officerA, timeoutMs, city } = demo;
  return {
    title: LICENCE,
    after: [STACK],
    needs: [
      [b, 'affairs', 'POST /applications'],
      [b, 'affairs', 'GET /applications/{id}'],
      [a, 'affairs', 'POST /cases/{id}/decisions'],
      [b, 'affairs', 'GET /licences/{creditCode}'],
    ],
    async run(_state, say) {
      const creditCode = syntheticCreditCode(demo, a);
      const { body: filed } = await clerkB.upload<{ applicationId: string; handlingRegion: string }>(
        [201],
        'affairs',
        '/applications',
        {
          application: {
            matterCode: MATTER,
            applicant: {
              kind: 'enterprise',
              residentId: syntheticResidentId(demo.areaCodeOf(a)),
              name: '演示法人',
              mobile: '13800000000',
              creditCode,
              enterpriseName: `双莱演示食品有限公司 ${demo.run}`,
            },
            delivery: 'window',
          },
        },
        ['application-form', 'business-licence', 'legal-rep-id', 'site-plan', 'food-safety-rules'].map((field) => ({
          field,
          name: `${field}.pdf`,
          content: randomBytes(64 * 1024),
        })),
      );
      say(`${clerkB.label} files ${MATTER} for ${creditCode}; ${city(filed.handlingRegion)} handles it`);
      await until(
        `the case opened in ${a}`,
        async () => {
          const { status } = await officerA.call('affairs', 'GET', `/cases/${filed.applicationId}`);
          return status === 200 ? true : undefined;
        },
        timeoutMs,
      );
      for (const status of ['accepted', 'under-review', 'approved', 'result-issued']) {
        await officerA.expect([200], 'affairs', 'POST', `/cases/${filed.applicationId}/decisions`, { status });
      }
      say(`${officerA.label} accepts, reviews, approves and issues the electronic licence, signed by ${city(a)}`);
      const seen = await until(
        `the result back at ${b}'s window`,
        async () => {
          const { body } = await clerkB.expect<{ status: string }>(
            [200],
            'affairs',
            'GET',
            `/applications/${filed.applicationId}`,
          );
          return body.status === 'result-issued' ? body : undefined;
        },
        timeoutMs,
      );
      say(`${clerkB.label} sees the application ${seen.status}`);
      const verified = await until(
        `the licence in ${b}'s replica of the register`,
        async () => {
          const { body } = await clerkB.expect<{
            valid: boolean;
            licences: { verdict: string; issuingRegion: string }[];
          }>([200], 'affairs', 'GET', `/licences/${creditCode}`);
          return body.valid ? body : undefined;
        },
        timeoutMs,
      );
      say(
        `${city(b)} verifies it from its own replica: ${verified.licences[0].verdict}, signature of ` +
          `${city(verified.licences[0].issuingRegion)} checked with the registry's key`,
      );
    },
  };
}

/** A unified social credit code registered in `region` (its first area code), new on every run. */
function syntheticCreditCode(demo: DemoContext, region: string): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const serial = Array.from({ length: 7 }, () => alphabet[randomInt(0, 31)]).join('');
  const first17 = `91${demo.areaCodeOf(region)}MA${serial}`;
  return first17 + creditCodeCheckCharacter(first17);
}
