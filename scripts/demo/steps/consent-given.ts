import { DemoStep } from '../demo-runner';
import { DemoContext, DemoState } from '../demo-context';
import { PUBLISHED } from './records-published';

export const CONSENTED = 'The patient consents to share with Laiyang';

export function consentGivenStep(demo: DemoContext): DemoStep<DemoState> {
  const { a, b, patient, hospitalA } = demo;
  return {
    title: CONSENTED,
    after: [PUBLISHED],
    needs: [[a, 'health-records', 'POST /consents']],
    async run(state, say) {
      const { body: consent } = await hospitalA.expect<{ consentId: string; activeFor: string[] }>(
        [201],
        'health-records',
        'POST',
        '/consents',
        { residentId: patient, purpose: 'continuity-of-care', grantees: [b] },
      );
      say(
        `the patient consents at ${hospitalA.label}: continuity of care, shared with ${consent.activeFor.join(', ')}`,
      );
      state.consentedAt = Date.now();
    },
  };
}
