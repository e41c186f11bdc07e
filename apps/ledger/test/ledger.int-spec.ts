import { createHash, createPrivateKey, sign } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { BusPublisher } from '@app/bus';
import { AppConfig } from '@app/config';
import { LEDGER_HEAD_SUBMITTED_V1, SignedCheckpointV1 } from '@app/contracts';
import { Role } from '@app/http';
import { startServiceApp } from '@app/platform';
import { TestService, eventually, startTestServices, testRegions, testToken } from '@app/testing';
import { LedgerAppModule } from '../src/app.module';
import { checkpointBody } from '../src/log/checkpoint-signer';

const CREDIT_CODE = '91350100M000100Y43';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface Project {
  projectId: string;
  status: string;
  shares: { flyOut: number; flyIn: number };
}
interface Share {
  indicator: string;
  region: string;
  amountFen: string;
}
interface Declaration {
  declarationId: string;
  version: number;
  status: string;
  settled: boolean;
  split: Share[];
  corrects?: string;
  reason?: string;
}
interface LogAgreement {
  log: string;
  size: number;
  agreedUpTo: number;
  firstDifference?: { index: number; foundBy: string; reason: string };
}
interface Agreement {
  agree: boolean;
  summary: string;
  logs: LogAgreement[];
  equivocations: number;
}

describe('ledger service across Laixi and Laiyang', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  const LAIXI = regions.names.laixi;
  const LAIYANG = regions.names.laiyang;
  let services: Awaited<ReturnType<typeof startTestServices>>;
  let laixi: TestService;
  let laiyang: TestService;
  let restarted: INestApplication | undefined;

  const as = (service: { config: AppConfig }, role: Role = 'finance-bureau') => ({
    Authorization: `Bearer ${testToken(service.config, role)}`,
  });
  const get = async <T>(service: TestService, path: string, role: Role = 'auditor'): Promise<T> => {
    const response = await request(service.url).get(path).set(as(service, role));
    expect(response.status).toBe(200);
    return response.body as T;
  };
  const register = async (shares?: { flyOut: number; flyIn: number }) => {
    const response = await request(laixi.url)
      .post('/projects')
      .set(as(laixi))
      .send({
        name: 'Liquid-cooling equipment plant, coolant line',
        creditCode: CREDIT_CODE,
        flyOut: LAIXI,
        flyIn: LAIYANG,
        ...(shares && { shares }),
        indicators: ['gdp-value-added', 'output-value', 'tax-vat'],
        validFrom: '2025-01-01',
        validUntil: '2030-12-31',
        agreementSha256: sha256('the signed agreement'),
      });
    expect(response.status).toBe(201);
    return response.body as Project;
  };
  const seen = (service: TestService, path: string, until: (body: Record<string, unknown>) => boolean) =>
    eventually(async () => {
      const response = await request(service.url).get(path).set(as(service, 'auditor'));
      return response.status === 200 && until(response.body as Record<string, unknown>)
        ? (response.body as Record<string, unknown>)
        : undefined;
    });
  /** A project registered by Laixi, confirmed by Laiyang, effective on both sides. */
  const effectiveProject = async (shares?: { flyOut: number; flyIn: number }) => {
    const project = await register(shares);
    await seen(laiyang, `/projects/${project.projectId}`, (p) => p.status === 'proposed');
    const confirmed = await request(laiyang.url).post(`/projects/${project.projectId}/confirm`).set(as(laiyang));
    expect(confirmed.status).toBe(200);
    await seen(laixi, `/projects/${project.projectId}`, (p) => p.status === 'effective');
    return project;
  };
  const declare = async (projectId: string, period: string, amounts: Record<string, string>, corrects?: string) => {
    const response = await request(laiyang.url)
      .post('/declarations')
      .set(as(laiyang, 'operator'))
      .send({
        projectId,
        period,
        amounts: Object.entries(amounts).map(([indicator, amountFen]) => ({ indicator, amountFen })),
        ...(corrects && { corrects }),
      });
    expect(response.status).toBe(201);
    return response.body as Declaration;
  };
  const answer = async (declarationId: string, action: 'confirm' | 'dispute', reason?: string) => {
    await seen(laixi, `/declarations/${declarationId}`, () => true);
    const response = await request(laixi.url)
      .post(`/declarations/${declarationId}/${action}`)
      .set(as(laixi))
      .send(reason ? { reason } : {});
    expect(response.status).toBe(200);
    return response.body as Declaration;
  };
  /** Both cities submit their heads and wait until the other cosigned them. */
  const cosignBoth = async () => {
    for (const [service, peer] of [
      [laixi, LAIYANG],
      [laiyang, LAIXI],
    ] as const) {
      const head = await request(service.url).post('/ledger/heads').set(as(service));
      expect(head.status).toBe(201);
      const size = Number((head.body as SignedCheckpointV1).size);
      await eventually(async () => {
        const agreement = await get<Agreement & { logs: { cosignedBy?: Record<string, { size: number } | null> }[] }>(
          service,
          '/ledger/agreement',
        );
        return agreement.logs[0].cosignedBy?.[peer]?.size === size ? true : undefined;
      });
    }
  };

  beforeAll(async () => {
    services = await startTestServices({
      service: 'ledger',
      regions,
      appModule: (config) => LedgerAppModule.register(config),
      env: { LEDGER_HEAD_INTERVAL_MS: '3600000' },
    });
    laixi = services.laixi;
    laiyang = services.laiyang;
  });

  afterAll(async () => {
    // The restarted instance is not the one startTestServices closes.
    await restarted?.close();
    await services?.close();
  });

  it('registers a project that takes effect only when the other city confirms it', async () => {
    const project = await register();
    expect(project).toMatchObject({ status: 'proposed', shares: { flyOut: 60, flyIn: 40 } });
    // Laixi cannot sign off its own registration, nor Laiyang declare before it took effect.
    const own = await request(laixi.url).post(`/projects/${project.projectId}/confirm`).set(as(laixi));
    expect([own.status, own.body.code]).toEqual([409, 'LEDGER.OWN_REGISTRATION']);
    await seen(laiyang, `/projects/${project.projectId}`, (p) => p.status === 'proposed');
    const early = await request(laiyang.url)
      .post('/declarations')
      .set(as(laiyang))
      .send({ projectId: project.projectId, period: '2026-Q1', amounts: [{ indicator: 'tax-vat', amountFen: '100' }] });
    expect([early.status, early.body.code]).toEqual([409, 'LEDGER.NOT_EFFECTIVE']);

    const confirmed = await request(laiyang.url).post(`/projects/${project.projectId}/confirm`).set(as(laiyang));
    expect([confirmed.status, confirmed.body.status]).toEqual([200, 'effective']);
    await seen(laixi, `/projects/${project.projectId}`, (p) => p.status === 'effective');
    // An auditor reads but does not act.
    const auditor = await request(laiyang.url)
      .post(`/projects/${project.projectId}/confirm`)
      .set(as(laiyang, 'auditor'));
    expect(auditor.status).toBe(403);
  });

  it('refuses bad input with problem details naming each field', async () => {
    const response = await request(laixi.url)
      .post('/projects')
      .set(as(laixi))
      .send({
        name: '',
        creditCode: '91350100M000100Y44',
        flyOut: LAIXI,
        flyIn: LAIYANG,
        shares: { flyOut: 60.5, flyIn: 40 },
        indicators: ['gdp'],
        validFrom: '2025-01-01',
        validUntil: '2030-12-31',
        agreementSha256: 'not a hash',
      });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const fields = (response.body.errors as { field: string }[]).map((error) => error.field).sort();
    expect(fields).toEqual(['agreementSha256', 'creditCode', 'indicators', 'name', 'shares.flyOut']);
    const project = await effectiveProject();
    const float = await request(laiyang.url)
      .post('/declarations')
      .set(as(laiyang))
      .send({ projectId: project.projectId, period: '2026-Q5', amounts: [{ indicator: 'tax-vat', amountFen: '1.5' }] });
    expect(float.status).toBe(400);
    expect((float.body.errors as { field: string }[]).map((error) => error.field).sort()).toEqual([
      'amounts.0.amountFen',
      'period',
    ]);
  });

  it('splits a declared quarter exactly in both cities, for awkward amounts and ratios, and settles it', async () => {
    for (const shares of [undefined, { flyOut: 55, flyIn: 45 }, { flyOut: 2, flyIn: 1 }]) {
      const project = await effectiveProject(shares);
      const amounts = { 'gdp-value-added': '1', 'output-value': '123456789', 'tax-vat': '9999999999999999' };
      const declared = await declare(project.projectId, '2026-Q3', amounts);
      const [a, b] = [shares?.flyOut ?? 60, shares?.flyIn ?? 40];
      for (const [indicator, total] of Object.entries(amounts)) {
        const parts = declared.split.filter((share) => share.indicator === indicator);
        expect(parts.map((share) => share.region)).toEqual([LAIXI, LAIYANG]);
        expect(BigInt(parts[0].amountFen) + BigInt(parts[1].amountFen)).toBe(BigInt(total));
        // Each share is its exact value rounded up or down.
        const exact = (BigInt(total) * BigInt(a) * 1000n) / BigInt(a + b);
        expect(
          BigInt(parts[0].amountFen) * 1000n - exact < 1000n && exact - BigInt(parts[0].amountFen) * 1000n < 1000n,
        ).toBe(true);
      }
      const confirmed = await answer(declared.declarationId, 'confirm');
      expect(confirmed.status).toBe('confirmed');
      // Laixi computed the split itself: the same fen.
      await seen(laiyang, `/declarations/${declared.declarationId}`, (d) => d.settled === true);
      await seen(laixi, `/declarations/${declared.declarationId}`, (d) => d.settled === true);
      const held = await get<Declaration>(laiyang, `/declarations/${declared.declarationId}`);
      expect(held).toMatchObject({ status: 'confirmed', settled: true });
    }
  });

  it('corrects a disputed declaration with a new entry referencing it, and settles the correction', async () => {
    const project = await effectiveProject();
    const first = await declare(project.projectId, '2026-Q2', { 'tax-vat': '1000001' });
    const disputed = await answer(first.declarationId, 'dispute', 'VAT of June is missing');
    expect(disputed).toMatchObject({ status: 'disputed', reason: 'VAT of June is missing' });
    await seen(laiyang, `/declarations/${first.declarationId}`, (d) => d.status === 'disputed');
    const again = await request(laiyang.url)
      .post('/declarations')
      .set(as(laiyang))
      .send({ projectId: project.projectId, period: '2026-Q2', amounts: [{ indicator: 'tax-vat', amountFen: '1' }] });
    expect([again.status, again.body.code]).toEqual([409, 'LEDGER.ALREADY_DECLARED']);

    const correction = await declare(project.projectId, '2026-Q2', { 'tax-vat': '1200001' }, first.declarationId);
    expect(correction).toMatchObject({ version: 2, corrects: first.declarationId, status: 'declared' });
    // The corrected version stays as it was, and can no longer be answered.
    await seen(laixi, `/declarations/${correction.declarationId}`, () => true);
    const stale = await request(laixi.url).post(`/declarations/${first.declarationId}/confirm`).set(as(laixi));
    expect([stale.status, stale.body.code]).toEqual([409, 'LEDGER.NOT_LATEST']);
    await answer(correction.declarationId, 'confirm');
    await seen(laixi, `/declarations/${correction.declarationId}`, (d) => d.settled === true);
    const versions = await get<Declaration[]>(laixi, `/declarations?projectId=${project.projectId}&period=2026-Q2`);
    expect(versions.map((d) => [d.version, d.status, d.settled])).toEqual([
      [2, 'confirmed', true],
      [1, 'disputed', false],
    ]);

    // Statistics: counted in place in Laiyang, 60 % due to Laixi; CSV for the bureaus.
    const rows = await get<{ region: string; projectId: string; countedInPlaceFen: string; dueFen: string }[]>(
      laixi,
      '/ledger/statistics?period=2026-Q2',
    );
    const mine = rows.filter((row) => row.projectId === project.projectId);
    expect(mine.map((row) => [row.region, row.countedInPlaceFen, row.dueFen])).toEqual([
      [LAIXI, '0', '720001'],
      [LAIYANG, '1200001', '480000'],
    ]);
    const csv = await request(laixi.url)
      .get('/ledger/statistics?period=2026-Q2')
      .set(as(laixi, 'auditor'))
      .set('Accept', 'text/csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.split('\r\n')[0]).toBe(
      'period,region,projectId,projectName,indicator,countedInPlaceFen,dueFen,countedInPlaceFenYearBefore,dueFenYearBefore,settled',
    );
    expect(csv.text).toContain(`2026-Q2,${LAIYANG},${project.projectId},`);
  });

  it('shows both ledgers agreeing once each city cosigned the other’s head, with verifiable proofs', async () => {
    await cosignBoth();
    const [fromLaixi, fromLaiyang] = await Promise.all([
      get<Agreement>(laixi, '/ledger/agreement'),
      get<Agreement>(laiyang, '/ledger/agreement'),
    ]);
    for (const agreement of [fromLaixi, fromLaiyang]) {
      expect(agreement.agree).toBe(true);
      expect(agreement.logs.every((log) => log.agreedUpTo === log.size && log.size > 0)).toBe(true);
    }
    // Each city holds the same number of entries of each log.
    const sizes = (agreement: Agreement) => Object.fromEntries(agreement.logs.map((log) => [log.log, log.size]));
    expect(sizes(fromLaixi)).toEqual(sizes(fromLaiyang));
    expect(fromLaixi.summary).toContain(`both ledgers agree on ${LAIXI}'s log up to entry`);
    const proof = await get<{ proof: string[] }>(laixi, `/ledger/logs/${LAIYANG}/proofs/consistency?first=1&second=3`);
    expect(proof.proof.length).toBeGreaterThan(0);
  });

  it('rejects a forged head, refuses a replayed one, and keeps a forked one beside the head it contradicts', async () => {
    await cosignBoth();
    const heads = await get<{
      heads: { size: number; root: string; timestamp: string; kid: string; signature: string }[];
    }>(laixi, `/ledger/logs/${LAIXI}/heads`);
    const last = heads.heads[0];
    const submit = (checkpoint: SignedCheckpointV1, oldSize: number) =>
      laixi.app
        .get(DataSource)
        .transaction((manager) =>
          laixi.app
            .get(BusPublisher)
            .publish(
              manager,
              LEDGER_HEAD_SUBMITTED_V1,
              `ledger-head/${LAIXI}`,
              { checkpoint, oldSize: String(oldSize), consistency: [] },
              { target: LAIYANG },
            ),
        );
    const signed = (fields: { size: string; root: string; timestamp: string }): SignedCheckpointV1 => {
      const key = createPrivateKey({
        key: Buffer.from(laixi.config.signingKey, 'base64'),
        format: 'der',
        type: 'pkcs8',
      });
      return { ...fields, kid: last.kid, signature: sign(null, checkpointBody(LAIXI, fields), key).toString('base64') };
    };
    const size = String(last.size);
    const lastTimestamp = Date.parse(last.timestamp);

    // Forged: a root Laixi never signed, with the signature of another → dead-lettered in Laiyang.
    await submit(
      { size, root: sha256('forged'), timestamp: String(lastTimestamp + 10), kid: last.kid, signature: last.signature },
      last.size,
    );
    await eventually(async () => {
      const letters = await request(laiyang.url).get('/bus/dead-letters').set(as(laiyang, 'operator'));
      return (letters.body as { type: string; reason: string }[]).find(
        (row) => row.type === LEDGER_HEAD_SUBMITTED_V1 && row.reason.includes('not signed'),
      );
    });
    // Replayed: Laixi's last head again, validly signed but not newer → refused as stale.
    await submit(signed({ size, root: last.root, timestamp: String(lastTimestamp) }), last.size);
    await eventually(async () => {
      const refused = await get<{ refusals: { code: string }[] }>(laixi, `/ledger/logs/${LAIXI}/heads`);
      return refused.refusals.some((r) => r.code === 'STALE') ? true : undefined;
    });
    // Forked: validly signed by Laixi's key, same size as the cosigned head, another root → both kept as proof.
    await submit(
      signed({ size, root: sha256('a rewritten history'), timestamp: String(lastTimestamp + 20) }),
      last.size,
    );
    const equivocation = await eventually(async () => {
      const kept = await get<{ origin: string; first: SignedCheckpointV1; second: SignedCheckpointV1 }[]>(
        laiyang,
        '/ledger/equivocations',
      );
      return kept.find((e) => e.origin === LAIXI);
    });
    expect(equivocation.first).toMatchObject({ size, root: last.root });
    expect(equivocation.second).toMatchObject({ size, root: sha256('a rewritten history') });
    const refused = await eventually(async () => {
      const answer = await get<{ refusals: { code: string }[] }>(laixi, `/ledger/logs/${LAIXI}/heads`);
      return answer.refusals.find((r) => r.code === 'INCONSISTENT');
    });
    expect(refused).toBeDefined();
    expect((await get<Agreement>(laiyang, '/ledger/agreement')).agree).toBe(false);
    // Clear the proof so that the next tests start from agreement (it stays in the test's record above).
    await laiyang.app.get(DataSource).query('delete from ledger_equivocation');
  });

  it('names the first entry that differs when an entry is changed in one city’s database', async () => {
    const project = await effectiveProject();
    const declared = await declare(project.projectId, '2026-Q1', { 'output-value': '5000000' });
    await answer(declared.declarationId, 'confirm');
    await seen(laixi, `/declarations/${declared.declarationId}`, (d) => d.settled === true);
    await cosignBoth();
    const db = laixi.app.get(DataSource);
    const [row] = await db.query<{ idx: string; entry: string }[]>(
      `select idx, entry from ledger_log where origin = $1 and kind = 'declaration.declared' and entry like $2`,
      [LAIYANG, `%${declared.declarationId}%`],
    );
    // Someone with access to Laixi's database lowers the amount in Laixi's copy of Laiyang's log.
    await db.query('update ledger_log set entry = replace(entry, $3, $4) where origin = $1 and idx = $2', [
      LAIYANG,
      row.idx,
      '"5000000"',
      '"4000000"',
    ]);
    const agreement = await get<Agreement>(laixi, '/ledger/agreement');
    expect(agreement.agree).toBe(false);
    const log = agreement.logs.find((l) => l.log === LAIYANG)!;
    expect(log.firstDifference).toMatchObject({ index: Number(row.idx), foundBy: LAIXI });
    expect(log.agreedUpTo).toBe(Number(row.idx));
    expect(agreement.summary).toContain(`${LAIYANG}'s ledger differs at entry ${row.idx}`);

    // Laiyang's next head is refused by Laixi, naming the entry: Laiyang's own check names it too.
    const head = await request(laiyang.url).post('/ledger/heads').set(as(laiyang));
    expect(head.status).toBe(201);
    const seenByLaiyang = await eventually(async () => {
      const view = await get<Agreement>(laiyang, '/ledger/agreement');
      return view.logs.find((l) => l.log === LAIYANG)?.firstDifference;
    });
    expect(seenByLaiyang).toMatchObject({ index: Number(row.idx), foundBy: LAIXI });
    await db.query('update ledger_log set entry = $3 where origin = $1 and idx = $2', [LAIYANG, row.idx, row.entry]);
    expect((await get<Agreement>(laixi, '/ledger/agreement')).logs.every((l) => !l.firstDifference)).toBe(true);
  });

  it('catches up after a restart: entries made while Laiyang was down reach its copy, and the ledgers agree', async () => {
    const project = await effectiveProject();
    await laiyang.app.close();
    const registered = await register();
    restarted = await startServiceApp(laiyang.config, (config) => LedgerAppModule.register(config));
    laiyang = { ...laiyang, app: restarted };
    await seen(laiyang, `/projects/${registered.projectId}`, (p) => p.status === 'proposed');
    const declared = await declare(project.projectId, '2025-Q4', { 'gdp-value-added': '777' });
    await answer(declared.declarationId, 'confirm');
    await seen(laiyang, `/declarations/${declared.declarationId}`, (d) => d.settled === true);
    await cosignBoth();
    const agreement = await get<Agreement>(laiyang, '/ledger/agreement');
    expect(agreement.agree).toBe(true);
    expect(agreement.logs.every((log) => log.agreedUpTo === log.size)).toBe(true);
  });
});
