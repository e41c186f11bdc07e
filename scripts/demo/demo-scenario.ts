import { randomUUID } from 'node:crypto';
import { SERVICE_NAMES } from '@app/contracts';
import { Actor, DemoFailure, DemoOptions, masked, syntheticResidentId, until } from './demo-client';
import { DemoReport, DemoStep, runSteps } from './demo-runner';

const STACK = 'Both cities are up and the bus carries events between them';
const TALENT_CERTIFIED = 'Laiyang certifies a talent; Laixi recognises the certification';
const BENEFIT_CLAIMED = 'The talent claims a benefit in Laixi; Laiyang, the certifier, arbitrates';

interface DemoState {
  certificationId?: string;
}

/**
 * The demo scenario, through the public HTTP APIs only: a Laixi hospital publishes records and lab reports, the
 * patient consents, a Laiyang doctor reads them and reuses results, a talent certified in Laiyang claims a benefit
 * in Laixi, a Laixi police unit raises a joint-duty alert that a Laiyang unit acknowledges.
 */
export function runDemo(options: DemoOptions, cities: { a: string; b: string } = { a: 'laixi', b: 'laiyang' }) {
  const { a, b } = cities;
  // A new synthetic person on every run, so that the scenario can be played again on the same stack.
  const TALENT = syntheticResidentId(options.registry.get(b).areaCodes[0]);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const label = (region: string) => options.registry.get(region).label;
  const operatorA = new Actor(options, a, 'operator', `${a}-operations-centre`);
  const operatorB = new Actor(options, b, 'operator', `${b}-operations-centre`);
  const bureauA = new Actor(options, a, 'hr-bureau', `${a}-hr-bureau`);
  const bureauB = new Actor(options, b, 'hr-bureau', `${b}-hr-bureau`);

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
            issuingBureau: `${label(b)} Human Resources and Social Security Bureau`,
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
        say(`${label(b)} decided: ${decided.status}${decided.reason ? ` (${decided.reason})` : ''}`);
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
  ];

  return runSteps(options, steps, {}) satisfies Promise<DemoReport>;
}
