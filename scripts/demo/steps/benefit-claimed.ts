import { DemoFailure, until } from '../demo-client';
import { DemoStep } from '../demo-runner';
import { DemoContext, DemoState } from '../demo-context';
import { TALENT_CERTIFIED } from './talent-certified';

export const BENEFIT_CLAIMED = 'The talent claims a benefit in Laixi; Laiyang, the certifier, arbitrates';

export function benefitClaimedStep(demo: DemoContext): DemoStep<DemoState> {
  const { a, b, talent, timeoutMs, city, bureauA, bureauB } = demo;
  return {
    title: BENEFIT_CLAIMED,
    after: [TALENT_CERTIFIED],
    needs: [
      [a, 'talent', 'POST /talent/claims'],
      [a, 'talent', 'GET /talent/claims/{id}'],
    ],
    async run(_state, say) {
      const { status, body: claim } = await bureauA.expect<{ claimId: string; status: string; certifier: string }>(
        [201, 202],
        'talent',
        'POST',
        '/talent/claims',
        { residentId: talent, benefitCode: 'settling-in-allowance' },
      );
      say(
        `${bureauA.label} files a claim for the settling-in allowance (exclusive): ${status} ${claim.status}, ` +
          `decided by ${claim.certifier}`,
      );
      const decided = await until(
        `the certifier's decision on claim ${claim.claimId}`,
        async () => {
          const { body } = await bureauA.expect<{ status: string; reason: string | null }>(
            [200],
            'talent',
            'GET',
            `/talent/claims/${claim.claimId}`,
          );
          return body.status === 'pending' ? undefined : body;
        },
        timeoutMs,
      );
      say(`${city(b)} decided: ${decided.status}${decided.reason ? ` (${decided.reason})` : ''}`);
      if (decided.status !== 'granted') throw new DemoFailure(`claim ${decided.status}, expected granted`);
      const again = await bureauB.call<{ status: string; reason?: string }>('talent', 'POST', '/talent/claims', {
        residentId: talent,
        benefitCode: 'settling-in-allowance',
      });
      say(
        `the same allowance claimed again in ${b}: ${again.status} ${again.body.status ?? ''}` +
          `${again.body.reason ? ` (${again.body.reason})` : ''}: an exclusive benefit is paid once`,
      );
    },
  };
}
