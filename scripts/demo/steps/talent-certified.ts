import { masked, until } from '../demo-client';
import { DemoStep } from '../demo-runner';
import { DemoContext, DemoState } from '../demo-context';
import { STACK } from './stack';

export const TALENT_CERTIFIED = 'Laiyang certifies a talent; Laixi recognises the certification';

export function talentCertifiedStep(demo: DemoContext): DemoStep<DemoState> {
  const { a, b, talent, timeoutMs, city, bureauA, bureauB } = demo;
  return {
    title: TALENT_CERTIFIED,
    after: [STACK],
    needs: [
      [b, 'talent', 'POST /talent/certifications'],
      [a, 'talent', 'POST /talent/status'],
    ],
    async run(state, say) {
      const year = new Date().getFullYear();
      const { body } = await bureauB.expect<{ certificationId: string; tier: string; validUntil: string }>(
        [201],
        'talent',
        'POST',
        '/talent/certifications',
        {
          residentId: talent,
          tier: 'B',
          field: 'marine biology',
          issuingBureau: `${city(b)} Human Resources and Social Security Bureau`,
          validFrom: `${year}-01-01`,
          validUntil: `${year + 2}-12-31`,
        },
      );
      state.certificationId = body.certificationId;
      say(`${bureauB.label} certified ${masked(talent)} as tier ${body.tier} talent until ${body.validUntil}`);
      const seen = await until(
        `the certification recognised in ${a}`,
        async () => {
          const { body: status } = await bureauA.expect<{
            certifications?: { issuingRegion: string; status: string; validToday: boolean; tierName: string }[];
          }>([200], 'talent', 'POST', '/talent/status', {
            residentId: talent,
            purpose: 'demo: settling-in allowance application',
          });
          return status.certifications?.find((c) => c.issuingRegion === b && c.validToday);
        },
        timeoutMs,
      );
      say(
        `${bureauA.label} asks for the person's status (audited): ${seen.tierName}, ${seen.status}, ` +
          `certified by ${seen.issuingRegion}, valid today`,
      );
    },
  };
}
