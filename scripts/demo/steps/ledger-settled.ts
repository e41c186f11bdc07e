import { createHash } from 'node:crypto';
import { DemoFailure, until } from '../demo-client';
import { DemoStep } from '../demo-runner';
import { DemoContext, DemoState } from '../demo-context';
import { STACK } from './stack';

export const LEDGER =
  'A co-built project registered by Laixi and confirmed by Laiyang; a quarter declared, split 6:4 and settled; both ledgers agree';

interface Share {
  indicator: string;
  region: string;
  amountFen: string;
}

interface Agreement {
  agree: boolean;
  summary: string;
  logs: { log: string; size: number; agreedUpTo: number; cosignedBy?: Record<string, { size: number } | null> }[];
}

const yuan = (fen: string) =>
  `¥${(BigInt(fen) / 100n).toLocaleString('en')}.${(BigInt(fen) % 100n).toString().padStart(2, '0')}`;

export function ledgerSettledStep(demo: DemoContext): DemoStep<DemoState> {
  const { a, b, run, timeoutMs, financeA, financeB, city } = demo;
  return {
    title: LEDGER,
    after: [STACK],
    needs: [
      [a, 'ledger', 'POST /projects'],
      [b, 'ledger', 'POST /projects/{projectId}/confirm'],
      [b, 'ledger', 'POST /declarations'],
      [a, 'ledger', 'POST /declarations/{declarationId}/confirm'],
      [a, 'ledger', 'POST /ledger/heads'],
      [a, 'ledger', 'GET /ledger/agreement'],
    ],
    async run(_state, say) {
      const { body: project } = await financeA.expect<{ projectId: string; name: string }>(
        [201],
        'ledger',
        'POST',
        '/projects',
        {
          name: `Liquid-cooling plant, coolant line (demo ${run})`,
          creditCode: '91350100M000100Y43',
          flyOut: a,
          flyIn: b,
          indicators: ['gdp-value-added', 'tax-vat', 'tax-corporate-income'],
          validFrom: '2026-01-01',
          validUntil: '2030-12-31',
          agreementSha256: createHash('sha256').update(`enclave agreement ${run}`).digest('hex'),
        },
      );
      say(`${financeA.label} registers "${project.name}", flying out of ${city(a)} into ${city(b)}, shares 60:40`);
      await until(
        `the registration in ${b}`,
        async () =>
          (await financeB.expect([200, 404], 'ledger', 'GET', `/projects/${project.projectId}`)).status === 200 ||
          undefined,
        timeoutMs,
      );
      await financeB.expect([200], 'ledger', 'POST', `/projects/${project.projectId}/confirm`);
      say(`${financeB.label} confirms it: the project takes effect (two-party sign-off)`);
      await until(
        `the project effective in ${a}`,
        async () => {
          const { body } = await financeA.expect<{ status: string }>(
            [200],
            'ledger',
            'GET',
            `/projects/${project.projectId}`,
          );
          return body.status === 'effective' || undefined;
        },
        timeoutMs,
      );
      const { body: declared } = await financeB.expect<{ declarationId: string; split: Share[] }>(
        [201],
        'ledger',
        'POST',
        '/declarations',
        {
          projectId: project.projectId,
          period: '2026-Q3',
          amounts: [
            { indicator: 'gdp-value-added', amountFen: '123456789' },
            { indicator: 'tax-vat', amountFen: '1000001' },
            { indicator: 'tax-corporate-income', amountFen: '333' },
          ],
        },
      );
      say(`${financeB.label}, the host, declares 2026-Q3 and computes the split:`);
      for (const share of declared.split) say(`  ${share.indicator} → ${city(share.region)} ${yuan(share.amountFen)}`);
      await until(
        `the declaration in ${a}`,
        async () =>
          (await financeA.expect([200, 404], 'ledger', 'GET', `/declarations/${declared.declarationId}`)).status ===
            200 || undefined,
        timeoutMs,
      );
      await financeA.expect([200], 'ledger', 'POST', `/declarations/${declared.declarationId}/confirm`);
      say(`${financeA.label} computes the same split itself and confirms`);
      await until(
        `the quarter settled in ${b}`,
        async () => {
          const { body } = await financeB.expect<{ settled: boolean }>(
            [200],
            'ledger',
            'GET',
            `/declarations/${declared.declarationId}`,
          );
          return body.settled || undefined;
        },
        timeoutMs,
      );
      say(`2026-Q3 is settled in both cities`);
      const heads = await Promise.all(
        [financeA, financeB].map(async (finance) => {
          const { body } = await finance.expect<{ size: string }>([201], 'ledger', 'POST', '/ledger/heads');
          return Number(body.size);
        }),
      );
      say(
        `each city signs its log's head (${city(a)} ${heads[0]} entries, ${city(b)} ${heads[1]}) and submits it to the other`,
      );
      const agreement = await until(
        'both heads cosigned',
        async () => {
          const { body } = await financeA.expect<Agreement>([200], 'ledger', 'GET', '/ledger/agreement');
          return (body.logs[0].cosignedBy?.[b]?.size ?? 0) >= heads[0] ? body : undefined;
        },
        timeoutMs,
      );
      say(`${city(a)}: ${agreement.summary}`);
      if (!agreement.agree) throw new DemoFailure('the two ledgers do not agree');
    },
  };
}
