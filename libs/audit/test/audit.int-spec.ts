import { DataSource } from 'typeorm';
import request from 'supertest';
import { AuditService } from '@app/audit';
import { CountingAppModule, TestService, eventually, startTestService, testRegions, testToken } from '@app/testing';

describe(AuditService.name, () => {
  let service: TestService;
  let audit: AuditService;
  let dataSource: DataSource;
  const verify = async () =>
    (
      await request(service.url)
        .get('/audit/verify')
        .set({ Authorization: `Bearer ${testToken(service.config, 'operator')}` })
    ).body as { valid: boolean; entries: number; pending?: number; brokenAt?: string; reason?: string };

  beforeAll(async () => {
    service = await startTestService({
      service: 'talent',
      regions: testRegions(['laixi', 'laiyang']),
      region: 'laixi',
      appModule: (config) => CountingAppModule.register(config),
    });
    audit = service.app.get(AuditService);
    dataSource = service.app.get(DataSource);
  });

  afterAll(async () => {
    await service?.close();
  });

  it('chains entries appended by concurrent transactions, and the chain verifies', async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        dataSource.transaction((manager) =>
          audit.append(manager, {
            actor: `dev:his-${i % 4}`,
            role: 'his',
            org: 'laiyang-people-hospital',
            actorRegion: 'laiyang',
            action: 'health.record.read',
            purpose: 'continuity-of-care',
            subject: `p1.subject-${i % 5}`,
            resources: [`doc-${i}`],
          }),
        ),
      ),
    );
    await expect(verify()).resolves.toMatchObject({ valid: true, entries: 40, pending: 0 });
    await expect(audit.list({ subject: 'p1.subject-1', limit: 100 })).resolves.toHaveLength(8);
  });

  it('does not record an access whose transaction rolled back', async () => {
    await expect(
      dataSource.transaction(async (manager) => {
        await audit.append(manager, {
          actor: 'dev:his',
          role: 'his',
          org: 'x',
          actorRegion: 'laiyang',
          action: 'health.record.read',
          resources: [],
        });
        throw new Error('the read failed');
      }),
    ).rejects.toThrow('the read failed');
    await expect(verify()).resolves.toMatchObject({ valid: true, entries: 40 });
  });

  it('chains a batch appended in one transaction after the entries before it', async () => {
    const before = (await verify()).entries;
    const entries = await dataSource.transaction((manager) =>
      audit.appendMany(
        manager,
        Array.from({ length: 25 }, (_, i) => ({
          actor: 'dev:hr',
          role: 'hr-bureau',
          org: 'laixi-hr',
          actorRegion: 'laixi',
          action: 'talent.status.read',
          purpose: 'batch',
          subject: `p1.batch-${i}`,
          resources: i % 2 ? [] : [`certification/${i}`],
        })),
      ),
    );
    expect(entries.map((entry) => entry.subject)).toEqual(Array.from({ length: 25 }, (_, i) => `p1.batch-${i}`));
    await expect(verify()).resolves.toMatchObject({ valid: true, entries: before + 25 });
  });

  it('links entries into the chain right after their commit, without waiting for a verification', async () => {
    await dataSource.transaction((manager) =>
      audit.append(manager, {
        actor: 'dev:his',
        role: 'his',
        org: 'x',
        actorRegion: 'laixi',
        action: 'a',
        resources: [],
      }),
    );
    await eventually(async () => {
      const [{ pending }] = await dataSource.query<{ pending: number }[]>(
        'select count(*)::int as pending from audit_log where seq is null',
      );
      return pending === 0 ? true : undefined;
    }, 5000);
  });

  it('lets an access append while another access that appended has not committed yet', async () => {
    const entry = { actor: 'dev:his', role: 'his', org: 'x', actorRegion: 'laixi', action: 'a', resources: [] };
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = dataSource.transaction(async (manager) => {
      await audit.append(manager, { ...entry, purpose: 'slow' });
      await held;
    });
    // With a lock held to the commit, this one would wait for the slow access and the test would time out.
    const quick = await dataSource.transaction((manager) => audit.append(manager, { ...entry, purpose: 'quick' }));
    release();
    await slow;
    expect(quick.id).toMatch(/^\d+$/);
    await expect(verify()).resolves.toMatchObject({ valid: true, pending: 0 });
  });

  it('fails to verify once a row is altered in the database, naming the entry', async () => {
    const [{ id }] = await dataSource.query<{ id: string }[]>(
      'select id::text as id from audit_log order by seq offset 10 limit 1',
    );
    await dataSource.query(`update audit_log set purpose = 'curiosity' where id = $1`, [id]);
    await expect(verify()).resolves.toEqual({
      valid: false,
      entries: 10,
      brokenAt: id,
      reason: 'its content does not match its hash',
      // A single instance: no peer has anchored this chain.
      anchors: [{ region: expect.stringMatching(/^laiyang-/), status: 'none' }],
    });
  });

  it('fails to verify an entry altered in its own transaction after it was appended, before it was sealed', async () => {
    const entry = await dataSource.transaction(async (manager) => {
      const appended = await audit.append(manager, {
        actor: 'dev:his',
        role: 'his',
        org: 'x',
        actorRegion: 'laixi',
        action: 'health.record.read',
        resources: ['doc-1'],
      });
      await manager.query(`update audit_log set resources = '["doc-2"]' where id = $1`, [appended.id]);
      return appended;
    });
    await expect(verify()).resolves.toMatchObject({ valid: false, reason: 'its content does not match its hash' });
    expect((await audit.list({ subject: undefined, limit: 1 }))[0].id).toBe(entry.id);
  });
});
