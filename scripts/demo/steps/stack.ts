import { randomUUID } from 'node:crypto';
import { SERVICE_NAMES } from '@app/contracts';
import { DemoFailure, until } from '../demo-client';
import { DemoStep } from '../demo-runner';
import { DemoContext, DemoState } from '../demo-context';

export const STACK = 'Both cities are up and the bus carries events between them';

export function stackStep(demo: DemoContext): DemoStep<DemoState> {
  const { a, b, timeoutMs, label, operatorA, operatorB } = demo;
  return {
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
  };
}
