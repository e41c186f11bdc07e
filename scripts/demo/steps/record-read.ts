import { DemoFailure, until } from '../demo-client';
import { DemoStep } from '../demo-runner';
import { DemoContext, DemoState, ReuseAnswer } from '../demo-context';
import { CONSENTED } from './consent-given';

export const READ =
  'A Laiyang doctor reads the record (audited, reported to Laixi) and asks which lab results can be reused';

export function recordReadStep(demo: DemoContext): DemoStep<DemoState> {
  const { a, b, patient, timeoutMs, city, hospitalA, hospitalB } = demo;
  return {
    title: READ,
    after: [CONSENTED],
    needs: [
      [b, 'health-records', 'POST /shared-records/query'],
      [b, 'lab-results', 'POST /reuse-queries'],
      [a, 'health-records', 'POST /audit/access-reports/query'],
    ],
    async run(state, say) {
      type Document = { documentId: string; kind: string; hospital: string; body: { diagnosis?: string } };
      // The first answer that is not 404 is the doctor's read (audited): a 404 read nothing.
      const documents = await until(
        `the patient's record held in ${b}`,
        async () => {
          const answer = await hospitalB.call<Document[]>('health-records', 'POST', '/shared-records/query', {
            residentId: patient,
            purpose: 'continuity-of-care',
          });
          if (answer.status === 200) return answer.body;
          if (answer.status !== 404) throw new DemoFailure(`shared-records query answered ${answer.status}`);
          return undefined;
        },
        timeoutMs,
      );
      say(`the record reached ${city(b)} within ${Date.now() - state.consentedAt!} ms of the consent`);
      for (const document of documents) {
        say(
          `${hospitalB.label} reads ${document.kind} from ${document.hospital}` +
            `${document.body.diagnosis ? `: ${document.body.diagnosis}` : ''}`,
        );
      }
      const answers = await until(
        `the lab report of ${a} usable in ${b}`,
        async () => {
          const { body } = await hospitalB.expect<{ queryId: string; answers: ReuseAnswer[] }>(
            [200, 201],
            'lab-results',
            'POST',
            '/reuse-queries',
            { residentId: patient, codes: ['CBC', 'ALT'] },
          );
          state.queryId = body.queryId;
          return body.answers.every((answer) => answer.result) ? body.answers : undefined;
        },
        timeoutMs,
      );
      for (const answer of answers) {
        say(
          `${answer.code}: ${answer.reason}${answer.reusable ? ' (reusable' : ' (not reusable'}` +
            `${answer.validityDays !== undefined ? `, joint window ${answer.validityDays} days` : ''}; ` +
            `result of ${answer.result!.region} report ${answer.result!.reportId})`,
        );
      }
      const reports = await until(
        `the read reported to ${a}`,
        async () => {
          const { body } = await hospitalA.expect<{ org: string; actorRegion: string; purpose: string }[]>(
            [200],
            'health-records',
            'POST',
            '/audit/access-reports/query',
            { residentId: patient },
          );
          return body.length > 0 ? body : undefined;
        },
        timeoutMs,
      );
      say(
        `${city(a)} can tell the patient who read the record: ` +
          reports.map((r) => `${r.org} of ${r.actorRegion} for ${r.purpose}`).join('; '),
      );
    },
  };
}
