import { randomUUID } from 'node:crypto';
import { SERVICE_NAMES } from '@app/contracts';
import { Actor, DemoFailure, DemoOptions, masked, syntheticResidentId, until } from './demo-client';
import { DemoReport, DemoStep, runSteps } from './demo-runner';

const STACK = 'Both cities are up and the bus carries events between them';
const LAB_SETUP = "Both cities' lab catalogues are in force and the Laixi hospital's laboratory is qualified";
const PUBLISHED = 'A Laixi hospital publishes a discharge summary and a lab report';
const CONSENTED = 'The patient consents to share with Laiyang';
const READ = 'A Laiyang doctor reads the record (audited, reported to Laixi) and asks which lab results can be reused';
const REUSED = 'The doctor reuses the blood count and re-tests ALT; Laixi learns what was saved';
const ALERT = 'A Laixi unit raises a joint-duty alert; a Laiyang unit receives and acknowledges it';
const AUDIT = "Every read of the other city's data is in a verified audit chain";
const TALENT_CERTIFIED = 'Laiyang certifies a talent; Laixi recognises the certification';
const BENEFIT_CLAIMED = 'The talent claims a benefit in Laixi; Laiyang, the certifier, arbitrates';

interface DemoState {
  certificationId?: string;
  documentId?: string;
  reportId?: string;
  queryId?: string;
  consentedAt?: number;
}

interface ReuseAnswer {
  code: string;
  reusable: boolean;
  reason: string;
  validityDays?: number;
  result?: { region: string; reportId: string; collectedAt: string; reusableUntil?: string };
}

const DAY_MS = 86_400_000;

/**
 * The demo scenario, through the public HTTP APIs only: a Laixi hospital publishes records and lab reports, the
 * patient consents, a Laiyang doctor reads them and reuses results, a talent certified in Laiyang claims a benefit
 * in Laixi, a Laixi police unit raises a joint-duty alert that a Laiyang unit acknowledges.
 */
export function runDemo(options: DemoOptions, cities: { a: string; b: string } = { a: 'laixi', b: 'laiyang' }) {
  const { a, b } = cities;
  // New synthetic people on every run, so that the scenario can be played again on the same stack.
  const PATIENT = syntheticResidentId(options.registry.get(a).areaCodes[0]);
  const TALENT = syntheticResidentId(options.registry.get(b).areaCodes[0]);
  const run = randomUUID().slice(0, 8);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const label = (region: string) => options.registry.get(region).label;
  /** "Laixi" of "Laixi (莱西, Qingdao)". */
  const city = (region: string) => label(region).split(' (')[0];
  const operatorA = new Actor(options, a, 'operator', `${a}-operations-centre`);
  const operatorB = new Actor(options, b, 'operator', `${b}-operations-centre`);
  const bureauA = new Actor(options, a, 'hr-bureau', `${a}-hr-bureau`);
  const bureauB = new Actor(options, b, 'hr-bureau', `${b}-hr-bureau`);
  const hospitalA = new Actor(options, a, 'his', `${a}-peoples-hospital`);
  const hospitalB = new Actor(options, b, 'his', `${b}-central-hospital`);
  const unitA = new Actor(options, a, 'police-unit', `${a}-patrol-1`);
  const unitB = new Actor(options, b, 'police-unit', `${b}-patrol-3`);
  const labId = `${a.toUpperCase()}-PEOPLES-LAB`.replace(/[^A-Z0-9._-]/g, '-');

  const steps: DemoStep<DemoState>[] = [
    {
      title: STACK,
      needs: [
        [a, 'talent', 'POST /bus/probes'],
        [b, 'talent', 'GET /bus/probes'],
      ],
      async run(_state, say) {
        for (const region of [a, b]) {
          const states = await Promise.all(
            SERVICE_NAMES.map(async (service) => {
              const operator = region === a ? operatorA : operatorB;
              const health = await operator.call(service, 'GET', '/health').catch(() => undefined);
              return `${service} ${health?.status === 200 ? 'healthy' : 'NOT healthy'}`;
            }),
          );
          say(`${label(region)}: ${states.join(', ')}`);
          if (states.some((state) => state.endsWith('NOT healthy'))) {
            throw new DemoFailure(`a service of ${region} is not healthy`);
          }
        }
        const stream = `demo-${randomUUID().slice(0, 8)}`;
        await operatorA.expect([202], 'talent', 'POST', '/bus/probes', { count: 1, stream });
        const [probe] = await until(
          `the probe from ${a} applied in ${b}`,
          async () => {
            const { body } = await operatorB.expect<{ latencyMs: number }[]>(
              [200],
              'talent',
              'GET',
              `/bus/probes?stream=${stream}&origin=${a}`,
            );
            return body.length > 0 ? body : undefined;
          },
          timeoutMs,
        );
        say(`a delivery probe from ${a} was applied in ${b} ${probe.latencyMs} ms after it was sent`);
      },
    },
    {
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
    },
    {
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
            residentId: PATIENT,
            kind: 'discharge-summary',
            typeCode: 'C0032',
            author: { name: 'Dr. Wang Li', role: 'attending physician' },
            hospital: `${city(a)} People's Hospital`,
            encounterAt: new Date(Date.now() - 6 * DAY_MS).toISOString(),
            body: { diagnosis: 'community-acquired pneumonia', treatment: 'amoxicillin 7 days', outcome: 'recovered' },
          },
        );
        state.documentId = document.documentId;
        say(`${hospitalA.label} publishes a discharge summary of ${masked(PATIENT)}: document ${document.documentId}`);
        const collectedAt = new Date(Date.now() - 5 * DAY_MS);
        state.reportId = `DEMO-${run}`.toUpperCase();
        const { body: report } = await hospitalA.expect<{ reportId: string; sentTo: string[] }>(
          [201],
          'lab-results',
          'POST',
          '/reports',
          {
            reportId: state.reportId,
            residentId: PATIENT,
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
    },
    {
      title: CONSENTED,
      after: [PUBLISHED],
      needs: [[a, 'health-records', 'POST /consents']],
      async run(state, say) {
        const { body: consent } = await hospitalA.expect<{ consentId: string; activeFor: string[] }>(
          [201],
          'health-records',
          'POST',
          '/consents',
          { residentId: PATIENT, purpose: 'continuity-of-care', grantees: [b] },
        );
        say(
          `the patient consents at ${hospitalA.label}: continuity of care, shared with ${consent.activeFor.join(', ')}`,
        );
        state.consentedAt = Date.now();
      },
    },
    {
      title: READ,
      after: [CONSENTED],
      needs: [
        [b, 'health-records', 'POST /shared-records/query'],
        [b, 'lab-results', 'POST /reuse-queries'],
        [a, 'health-records', 'POST /access-reports/query'],
      ],
      async run(state, say) {
        type Document = { documentId: string; kind: string; hospital: string; body: { diagnosis?: string } };
        // The first answer that is not 404 is the doctor's read (audited): a 404 read nothing.
        const documents = await until(
          `the patient's record held in ${b}`,
          async () => {
            const answer = await hospitalB.call<Document[]>('health-records', 'POST', '/shared-records/query', {
              residentId: PATIENT,
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
              { residentId: PATIENT, codes: ['CBC', 'ALT'] },
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
              '/access-reports/query',
              { residentId: PATIENT },
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
    },
    {
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
    },
    {
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
            residentId: TALENT,
            tier: 'B',
            field: 'marine biology',
            issuingBureau: `${city(b)} Human Resources and Social Security Bureau`,
            validFrom: `${year}-01-01`,
            validUntil: `${year + 2}-12-31`,
          },
        );
        state.certificationId = body.certificationId;
        say(`${bureauB.label} certified ${masked(TALENT)} as tier ${body.tier} talent until ${body.validUntil}`);
        const seen = await until(
          `the certification recognised in ${a}`,
          async () => {
            const { body: status } = await bureauA.expect<{
              certifications?: { issuingRegion: string; status: string; validToday: boolean; tierName: string }[];
            }>([200], 'talent', 'POST', '/talent/status', {
              residentId: TALENT,
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
    },
    {
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
          { residentId: TALENT, benefitCode: 'settling-in-allowance' },
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
          residentId: TALENT,
          benefitCode: 'settling-in-allowance',
        });
        say(
          `the same allowance claimed again in ${b}: ${again.status} ${again.body.status ?? ''}` +
            `${again.body.reason ? ` (${again.body.reason})` : ''}: an exclusive benefit is paid once`,
        );
      },
    },
    {
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
    },
    {
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
    },
  ];

  return runSteps(options, steps, {}) satisfies Promise<DemoReport>;
}
