import { Actor, DemoFailure } from '../demo-client';
import { DemoStep } from '../demo-runner';
import { DemoContext, DemoState } from '../demo-context';
import { STACK } from './stack';

export const AUDIT = "Every read of the other city's data is in a verified audit chain";

export function auditVerifiedStep(demo: DemoContext): DemoStep<DemoState> {
  const { a, b, operatorA, operatorB } = demo;
  return {
    title: AUDIT,
    after: [STACK],
    needs: [
      [b, 'health-records', 'GET /audit/verify'],
      [b, 'lab-results', 'GET /audit/verify'],
      [a, 'talent', 'GET /audit/verify'],
    ],
    async run(_state, say) {
      const chains: [Actor, 'health-records' | 'lab-results' | 'talent'][] = [
        [operatorB, 'health-records'],
        [operatorB, 'lab-results'],
        [operatorA, 'talent'],
      ];
      for (const [operator, service] of chains) {
        const { body } = await operator.expect<{ valid: boolean; entries: number; reason?: string }>(
          [200],
          service,
          'GET',
          '/audit/verify',
        );
        say(
          `${operator.region} ${service}: ${body.valid ? 'chain valid' : `chain BROKEN (${body.reason})`}, ${body.entries} entries`,
        );
        if (!body.valid) throw new DemoFailure(`the audit chain of ${operator.region} ${service} does not verify`);
      }
    },
  };
}
