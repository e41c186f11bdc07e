import request from 'supertest';
import { DataSource } from 'typeorm';
import { AccessReportService, AuditService, AuditVerdict } from '@app/audit';
import { Pseudonymizer } from '@app/bus';
import { CountingAppModule, TestService, eventually, startTestServices, testRegions, testToken } from '@app/testing';

const operator = (service: TestService) => ({ Authorization: `Bearer ${testToken(service.config, 'operator')}` });

async function get<T>(service: TestService, path: string, query: Record<string, string> = {}): Promise<T> {
  const response = await request(service.url).get(path).query(query).set(operator(service));
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as T;
}

async function appendEntries(service: TestService, count: number, tag: string): Promise<void> {
  const audit = service.app.get(AuditService);
  await service.app.get(DataSource).transaction((manager) =>
    audit.appendMany(
      manager,
      Array.from({ length: count }, (_, i) => ({
        actor: 'test:operator',
        role: 'operator',
        org: 'test',
        actorRegion: service.config.region,
        action: 'test.entry.write',
        resources: [`${tag}-${i}`],
      })),
    ),
  );
}

describe('audit chains anchored at the peer, and reads reported home', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  let services: Awaited<ReturnType<typeof startTestServices>>;
  let laixi: TestService;
  let laiyang: TestService;
  const verify = (service: TestService) => get<AuditVerdict>(service, '/audit/verify');
  const anchorAt = async (service: TestService, peer: string) =>
    (await verify(service)).anchors.find((anchor) => anchor.region === peer)!;

  beforeAll(async () => {
    // AuditConfig is read from the process environment when each service starts.
    const previous = process.env.AUDIT_ANCHOR_INTERVAL_MS;
    process.env.AUDIT_ANCHOR_INTERVAL_MS = '1000';
    try {
      services = await startTestServices({
        service: 'talent',
        regions,
        appModule: (config) => CountingAppModule.register(config),
        env: { HEARTBEAT_INTERVAL_MS: '3600000' },
      });
    } finally {
      if (previous === undefined) delete process.env.AUDIT_ANCHOR_INTERVAL_MS;
      else process.env.AUDIT_ANCHOR_INTERVAL_MS = previous;
    }
    ({ laixi, laiyang } = services);
  });

  afterAll(async () => {
    await services?.close();
  });

  describe('anchors', () => {
    it("keeps laixi's chain head at laiyang, whose acknowledgement laixi's verify checks", async () => {
      await appendEntries(laixi, 5, 'first');
      const anchor = await eventually(async () => {
        const found = await anchorAt(laixi, regions.names.laiyang);
        return found.status === 'matches' && found.seq === '5' ? found : undefined;
      });
      const verdict = await verify(laixi);
      expect(verdict).toMatchObject({ valid: true, entries: 5 });
      expect(anchor).toMatchObject({ hash: (verdict as { head: string }).head });
      await expect(get(laiyang, '/audit/anchors')).resolves.toEqual([
        expect.objectContaining({ region: regions.names.laixi, seq: '5', hash: anchor.hash }),
      ]);
    });

    it('says the chain is shorter than what laiyang anchored when its tail is removed', async () => {
      await laixi.app.get(DataSource).query('delete from audit_log where seq > 3');
      const verdict = await verify(laixi);
      expect(verdict).toMatchObject({
        valid: false,
        entries: 3,
        brokenAt: 'seq 5',
        reason: `the chain ends at seq 3, shorter than what ${regions.names.laiyang} anchored at seq 5`,
      });
      expect(verdict.anchors).toEqual([expect.objectContaining({ region: regions.names.laiyang, status: 'shorter' })]);
    });

    it('learns it again from the peer when the acknowledgements here are removed too', async () => {
      await laixi.app.get(DataSource).query('delete from audit_anchor_ack');
      await eventually(async () => {
        const found = await anchorAt(laixi, regions.names.laiyang);
        return found.status === 'shorter' && found.seq === '5' ? found : undefined;
      });
    });

    it('says the chain differs from what laiyang anchored when the removed tail is written again', async () => {
      await appendEntries(laixi, 4, 'forged');
      await expect(verify(laixi)).resolves.toMatchObject({
        valid: false,
        entries: 7,
        reason: `the chain differs from what ${regions.names.laiyang} anchored at seq 5`,
        anchors: [expect.objectContaining({ status: 'differs', seq: '5' })],
      });
    });
  });

  describe(AccessReportService.name, () => {
    it("audits a read of laixi's data at laiyang and reports it to laixi, which answers who read it", async () => {
      const subject = laiyang.app.get(Pseudonymizer).of('370285196205237809');
      const reports = laiyang.app.get(AccessReportService);
      const entry = await laiyang.app.get(DataSource).transaction((manager) =>
        reports.recordRead(manager, {
          actor: 'test:his',
          role: 'his',
          org: 'laiyang-people-hospital',
          actorRegion: regions.names.laiyang,
          action: 'lab.result.read',
          purpose: 'continuity-of-care',
          subjects: [subject],
          resourcesByHome: { [regions.names.laixi]: ['r-1', 'r-2'], [regions.names.laiyang]: ['r-3'] },
        }),
      );
      await expect(laiyang.app.get(AuditService).list({ subject, limit: 10 })).resolves.toEqual([
        expect.objectContaining({ id: entry.id, resources: ['r-1', 'r-2', 'r-3'], purpose: 'continuity-of-care' }),
      ]);

      // A read whose transaction fails is neither audited nor reported.
      await expect(
        laiyang.app.get(DataSource).transaction(async (manager) => {
          await reports.recordRead(manager, {
            actor: 'test:his',
            role: 'his',
            org: 'laiyang-people-hospital',
            actorRegion: regions.names.laiyang,
            action: 'lab.result.read',
            subjects: [subject],
            resourcesByHome: { [regions.names.laixi]: ['r-9'] },
          });
          throw new Error('the read failed');
        }),
      ).rejects.toThrow('the read failed');

      const received = await eventually(async () => {
        const found = await get<unknown[]>(laixi, '/audit/access-reports', { subject });
        return found.length > 0 ? found : undefined;
      });
      expect(received).toEqual([
        {
          readerRegion: regions.names.laiyang,
          subjects: [subject],
          actor: 'test:his',
          role: 'his',
          org: 'laiyang-people-hospital',
          actorRegion: regions.names.laiyang,
          action: 'lab.result.read',
          purpose: 'continuity-of-care',
          resources: ['r-1', 'r-2'],
          auditEntryId: entry.id,
          at: entry.at,
          receivedAt: expect.any(String),
        },
      ]);
      // Laiyang keeps no report of its own read.
      await expect(get(laiyang, '/audit/access-reports', { subject })).resolves.toEqual([]);
    });

    it('reports a batch of reads, one naming several persons, under each of them', async () => {
      const pseudonyms = laiyang.app.get(Pseudonymizer);
      const [first, second] = [pseudonyms.of('370682198710126394'), pseudonyms.of('370682199507131803')];
      const read = {
        actor: 'unit-7',
        role: 'police-unit',
        org: 'laiyang-unit-7',
        actorRegion: regions.names.laiyang,
        action: 'police.alert.read',
        purpose: 'delivery:sse',
      };
      const entries = await laiyang.app.get(DataSource).transaction((manager) =>
        laiyang.app.get(AccessReportService).recordReads(manager, [
          { ...read, subjects: [first, second], resourcesByHome: { [regions.names.laixi]: ['alert-1'] } },
          { ...read, subjects: [second], resourcesByHome: { [regions.names.laixi]: ['alert-2'] } },
        ]),
      );
      const ofSecond = await eventually(async () => {
        const found = await get<{ resources: string[]; auditEntryId: string }[]>(laixi, '/audit/access-reports', {
          subject: second,
        });
        return found.length === 2 ? found : undefined;
      });
      expect(ofSecond.map((report) => [report.auditEntryId, report.resources]).sort()).toEqual(
        entries.map((entry, i) => [entry.id, [`alert-${i + 1}`]]).sort(),
      );
      await expect(get(laixi, '/audit/access-reports', { subject: first })).resolves.toEqual([
        expect.objectContaining({ subjects: [first, second], resources: ['alert-1'], auditEntryId: entries[0].id }),
      ]);
    });

    it("answers the service's own users of the home city too, by pseudonym or by resident ID, and no other role", async () => {
      const residentId = '370285196205237809';
      const subject = laixi.app.get(Pseudonymizer).of(residentId);
      const asRole = (service: TestService, role: 'hr-bureau' | 'his') => ({
        Authorization: `Bearer ${testToken(service.config, role)}`,
      });
      const byOperator = await get<unknown[]>(laixi, '/audit/access-reports', { subject });
      expect(byOperator.length).toBeGreaterThan(0);
      // This test service is talent: its HR bureau answers for its people.
      const bySubject = await request(laixi.url)
        .get('/audit/access-reports')
        .query({ subject })
        .set(asRole(laixi, 'hr-bureau'));
      expect([bySubject.status, bySubject.body]).toEqual([200, byOperator]);
      const byResident = await request(laixi.url)
        .post('/audit/access-reports/query')
        .set(asRole(laixi, 'hr-bureau'))
        .send({ residentId });
      expect([byResident.status, byResident.body]).toEqual([200, byOperator]);
      // A HIS does not answer for talent's data, and the other city's bureau asks its own city's node.
      const his = await request(laixi.url)
        .post('/audit/access-reports/query')
        .set(asRole(laixi, 'his'))
        .send({ residentId });
      expect([his.status, (his.body as { code: string }).code]).toEqual([403, 'AUDIT.ACCESS_REPORTS_FORBIDDEN']);
      const peer = await request(laixi.url)
        .post('/audit/access-reports/query')
        .set(asRole(laiyang, 'hr-bureau'))
        .send({ residentId });
      expect(peer.status).toBe(403);
      const invalid = await request(laixi.url)
        .post('/audit/access-reports/query')
        .set(asRole(laixi, 'hr-bureau'))
        .send({ residentId: '370285196205237808' });
      expect(invalid.status).toBe(400);
    });

    it('answers 400 to a subject that is not a pseudonym', async () => {
      const response = await request(laixi.url)
        .get('/audit/access-reports')
        .query({ subject: '370285196205237809' })
        .set(operator(laixi));
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).not.toContain('370285196205237809');
    });
  });
});
