import request from 'supertest';
import { BusConsumer } from '@app/bus';
import { directedTopic, domainTopic } from '@app/contracts';
import { CountingAppModule, TestService, eventually, startTestServices, testRegions, testToken } from '@app/testing';

const operator = (service: TestService) => ({ Authorization: `Bearer ${testToken(service.config, 'operator')}` });

async function streamsIn(service: TestService): Promise<string[]> {
  const response = await request(service.url).get('/bus/probes').query({ limit: 1000 }).set(operator(service));
  expect(response.status).toBe(200);
  return (response.body as { stream: string }[]).map((probe) => probe.stream);
}

describe('directed events between three regions', () => {
  const regions = testRegions(['laixi', 'laiyang', 'jimo']);
  let services: Awaited<ReturnType<typeof startTestServices>>;

  beforeAll(async () => {
    services = await startTestServices({
      service: 'talent',
      regions,
      appModule: (config) => CountingAppModule.register(config, { countProbes: false }),
      env: { HEARTBEAT_INTERVAL_MS: '60000' },
    });
  });

  afterAll(async () => {
    await services?.close();
  });

  it('subscribes each region to the broadcast topics of its peers and to the topics directed to it alone', () => {
    const { laixi, laiyang, jimo } = regions.names;
    expect(services.jimo.app.get(BusConsumer).topics).toEqual([
      domainTopic(laixi, 'talent'),
      directedTopic(laixi, 'talent', jimo),
      domainTopic(laiyang, 'talent'),
      directedTopic(laiyang, 'talent', jimo),
    ]);
  });

  it('delivers an event addressed to one region to that region only', async () => {
    const { laixi, laiyang, jimo } = services;
    const directed = await request(laixi.url)
      .post('/bus/probes')
      .set(operator(laixi))
      .send({ count: 3, stream: 'to-laiyang', target: regions.names.laiyang });
    expect(directed.status).toBe(202);
    // Sent after the directed probes, on the same partition key: once jimo has it, jimo is past them.
    await request(laixi.url).post('/bus/probes').set(operator(laixi)).send({ count: 1, stream: 'to-all' });

    await eventually(async () => ((await streamsIn(laiyang)).length === 4 ? true : undefined));
    await eventually(async () => ((await streamsIn(jimo)).includes('to-all') ? true : undefined));
    expect((await streamsIn(laiyang)).sort()).toEqual(['to-all', 'to-laiyang', 'to-laiyang', 'to-laiyang']);
    expect(await streamsIn(jimo)).toEqual(['to-all']);
  });

  it('answers 400 to a probe addressed to a region that is not a peer', async () => {
    const { laixi } = services;
    const response = await request(laixi.url)
      .post('/bus/probes')
      .set(operator(laixi))
      .send({ count: 1, target: regions.names.laixi });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('BUS.UNKNOWN_TARGET');
  });
});
