import { JwtKey } from '@app/config';
import { RegionRegistry } from '@app/contracts';
import { TestService, startTestServices, testRegions } from '@app/testing';
import { DemoOptions, devTokens, endpointsOf } from '../scripts/demo/demo-client';
import { demoContext } from '../scripts/demo/demo-context';
import { LICENCE, licenceIssuedStep } from '../scripts/demo/steps/licence-issued';
import { affairsModule } from '../apps/affairs/test/affairs-fixtures';

describe(LICENCE, () => {
  const regions = testRegions(['laixi', 'laiyang']);
  let services: Record<string, TestService> & { close(): Promise<void> };

  beforeAll(async () => {
    services = await startTestServices({ service: 'affairs', regions, appModule: affairsModule(regions) });
  });

  afterAll(async () => {
    await services?.close();
  });

  it('plays the demo step against both cities’ affairs services', async () => {
    const { laixi, laiyang } = regions.names;
    const byRegion: Record<string, TestService> = { [laixi]: services.laixi, [laiyang]: services.laiyang };
    const lines: string[] = [];
    const options: DemoOptions = {
      registry: RegionRegistry.fromFile(regions.file),
      urlOf: (region) => byRegion[region].url,
      tokenOf: devTokens(
        RegionRegistry.fromFile(regions.file),
        services.laixi.config.jwt as JwtKey & { kind: 'secret' },
      ),
      log: (line) => lines.push(line),
      timeoutMs: 30_000,
    };
    const step = licenceIssuedStep(demoContext(options, laixi, laiyang, 'test'));
    for (const [region, service, endpoint] of step.needs) {
      expect(await endpointsOf(options, region, service)).toContain(endpoint);
    }
    await step.run({}, (line) => lines.push(line));
    expect(lines.at(-1)).toMatch(/verifies it from its own replica: valid, signature of Laixi checked/);
  });
});
