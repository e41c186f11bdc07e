import request from 'supertest';
import { TestService, eventually, startTestService, testRegions, testToken } from '@app/testing';
import { JointListView } from '../src/catalogue/catalogue-queries.service';
import { affairsModule, mattersFile } from './affairs-fixtures';

describe('the joint list of matters between Laixi and Laiyang', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  const laixiFile = mattersFile(regions.names);
  // Laiyang runs a later version: one matter's promised time limit changed, one matter dropped, one added.
  const laiyangFile = mattersFile(regions.names, (file) => {
    file.version = '2026.2';
    const food = file.matters.find((matter) => matter.code === 'ENT-FOOD-BIZ')!;
    food.timeLimits = { statutoryDays: 20, promisedDays: 3 };
    file.matters = file.matters.filter((matter) => matter.code !== 'PER-NO-CRIME');
    file.matters.push({ ...file.matters[0], code: 'ENT-LAIYANG-PILOT' });
  });
  const appModule = (file: string) => affairsModule(regions, file);
  let laixi: TestService;
  let laiyang: TestService;

  beforeAll(async () => {
    [laixi, laiyang] = await Promise.all([
      startTestService({ service: 'affairs', regions, region: 'laixi', appModule: appModule(laixiFile) }),
      startTestService({ service: 'affairs', regions, region: 'laiyang', appModule: appModule(laiyangFile) }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([laixi?.close(), laiyang?.close()]);
  });

  const jointList = async (service: TestService, role = 'window-clerk' as const) => {
    const response = await request(service.url)
      .get('/matters')
      .set('Authorization', `Bearer ${testToken(service.config, role)}`);
    expect(response.status).toBe(200);
    return response.body as JointListView;
  };

  it('names the matters that differ when the cities run different catalogue versions', async () => {
    const list = await eventually(async () => {
      const view = await jointList(laixi);
      return view.peers[0].version === null ? undefined : view;
    });
    expect(list.version).toBe('2026.1');
    expect(list.joint).toBe(false);
    expect(list.peers).toEqual([
      {
        region: regions.names.laiyang,
        version: '2026.2',
        sameCatalogue: false,
        differences: [
          { code: 'ENT-FOOD-BIZ', difference: 'different' },
          { code: 'ENT-LAIYANG-PILOT', difference: 'missing-here' },
          { code: 'PER-NO-CRIME', difference: 'missing-there' },
        ],
      },
    ]);
    expect(list.matters.length).toBeGreaterThanOrEqual(160);
    expect(list.matters.find((matter) => matter.code === 'ENT-FOOD-BIZ')!.differsIn).toEqual([regions.names.laiyang]);
    expect(list.matters.find((matter) => matter.code === 'ENT-REG-LLC-EST')!.differsIn).toEqual([]);

    // Laiyang sees the same differences from its side.
    const there = await eventually(async () => {
      const view = await jointList(laiyang, 'case-officer');
      return view.peers[0].version === null ? undefined : view;
    });
    expect(there.peers[0].differences).toEqual([
      { code: 'ENT-FOOD-BIZ', difference: 'different' },
      { code: 'ENT-LAIYANG-PILOT', difference: 'missing-there' },
      { code: 'PER-NO-CRIME', difference: 'missing-here' },
    ]);
  });

  it('filters by category and answers one matter, 404 for an unknown code', async () => {
    const token = `Bearer ${testToken(laixi.config, 'window-clerk')}`;
    const personal = await request(laixi.url).get('/matters?category=personal').set('Authorization', token);
    expect(personal.status).toBe(200);
    const matters = (personal.body as JointListView).matters;
    expect(matters.length).toBeGreaterThan(0);
    expect(matters.every((matter) => matter.category === 'personal')).toBe(true);

    const bad = await request(laixi.url).get('/matters?category=animal').set('Authorization', token);
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);

    const one = await request(laixi.url).get('/matters/ENT-FOOD-BIZ').set('Authorization', token);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ code: 'ENT-FOOD-BIZ', resultType: 'licence' });
    const none = await request(laixi.url).get('/matters/ENT-NOTHING').set('Authorization', token);
    expect(none.status).toBe(404);
  });

  it("refuses a role that handles no matters (403) and another city's token", async () => {
    const police = await request(laixi.url)
      .get('/matters')
      .set('Authorization', `Bearer ${testToken(laixi.config, 'police-unit')}`);
    expect(police.status).toBe(403);
    const other = await request(laixi.url)
      .get('/matters')
      .set('Authorization', `Bearer ${testToken(laiyang.config, 'window-clerk')}`);
    expect(other.status).toBe(403);
  });
});
