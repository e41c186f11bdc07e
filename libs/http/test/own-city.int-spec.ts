import { AppConfig } from '@app/config';
import { TestService, startTestService, testRegions, testToken } from '@app/testing';
import { TalentAppModule } from '../../../apps/talent/src/app.module';
import { loadTalentConfig } from '../../../apps/talent/src/config/talent-config';
import { talentConfigFile } from '../../../apps/talent/test/talent-fixtures';

/** Every operator endpoint of the bus and the audit log, as a Laiyang operator would try them on Laixi's node. */
const OPERATOR_ENDPOINTS: [string, string, object?][] = [
  ['GET', '/bus/streams'],
  ['GET', '/bus/outbox'],
  ['GET', '/bus/dead-letters'],
  ['POST', '/bus/dead-letters/1/replay'],
  ['POST', '/bus/replay'],
  ['POST', '/bus/probes', { count: 1 }],
  ['GET', '/bus/probes'],
  ['GET', '/audit'],
  ['GET', '/audit/verify'],
];

describe('a city node and the operators of another city', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  let laixi: TestService;

  beforeAll(async () => {
    laixi = await startTestService({
      service: 'talent',
      regions,
      region: 'laixi',
      env: { DATABASE_POOL_SIZE: '3' },
      appModule: (config) =>
        TalentAppModule.register(
          config,
          loadTalentConfig(config.region, { TALENT_CONFIG_FILE: talentConfigFile(regions.names) }),
        ),
    });
  });

  afterAll(async () => {
    await laixi?.close();
  });

  const call = (method: string, path: string, token: string, body?: object) =>
    fetch(`${laixi.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body && { 'Content-Type': 'application/json' }) },
      body: body && JSON.stringify(body),
    });

  it.each(OPERATOR_ENDPOINTS)(
    "refuses a Laiyang operator's %s %s on Laixi's node with 403 (regression: it answered 200/202)",
    async (method, path, body) => {
      const laiyangOperator = testToken({ ...laixi.config, region: regions.names.laiyang } as AppConfig, 'operator');

      const response = await call(method, path, laiyangOperator, body);

      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      await expect(response.json()).resolves.toMatchObject({ status: 403, code: 'AUTH.OTHER_CITY' });
    },
  );

  it("writes nothing into Laixi's outbox for a Laiyang operator's probes", async () => {
    const operator = testToken(laixi.config, 'operator');
    const before = await (await call('GET', '/bus/outbox', operator)).json();
    const laiyangOperator = testToken({ ...laixi.config, region: regions.names.laiyang } as AppConfig, 'operator');

    const refused = await call('POST', '/bus/probes', laiyangOperator, { count: 5 });
    const after = await (await call('GET', '/bus/outbox', operator)).json();

    expect(refused.status).toBe(403);
    expect(after).toEqual(before);
  });

  it("still answers Laixi's own operator", async () => {
    const operator = testToken(laixi.config, 'operator');

    const statuses = await Promise.all(
      [
        ['GET', '/bus/streams'],
        ['GET', '/audit/verify'],
      ].map(async ([method, path]) => (await call(method, path, operator)).status),
    );

    expect(statuses).toEqual([200, 200]);
  });
});
