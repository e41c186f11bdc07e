import { HealthRecordsAppModule } from '../apps/health-records/src/app.module';
import { LabResultsAppModule } from '../apps/lab-results/src/app.module';
import { PoliceAppModule } from '../apps/police/src/app.module';
import { TalentAppModule } from '../apps/talent/src/app.module';
import { devTokens } from '../scripts/demo/demo-client';
import { runDemo } from '../scripts/demo/demo-scenario';
import { DEV_JWT_SECRET } from '@app/config';
import { RegionRegistry, SERVICE_NAMES, ServiceName } from '@app/contracts';
import { AppModuleFactory } from '@app/platform';
import { TestService, startTestServices, testRegions } from '@app/testing';

const MODULES: Record<ServiceName, AppModuleFactory> = {
  'health-records': (config) => HealthRecordsAppModule.register(config),
  'lab-results': (config) => LabResultsAppModule.register(config),
  talent: (config) => TalentAppModule.register(config),
  police: (config) => PoliceAppModule.register(config),
};

describe('npm run demo', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  const started: Awaited<ReturnType<typeof startTestServices>>[] = [];
  const instances = new Map<string, TestService>();

  beforeAll(async () => {
    for (const service of SERVICE_NAMES) {
      const byRegion = await startTestServices({ service, regions, appModule: MODULES[service] });
      started.push(byRegion);
      for (const base of ['laixi', 'laiyang']) instances.set(`${regions.names[base]}/${service}`, byRegion[base]);
    }
  }, 300_000);

  afterAll(async () => {
    await Promise.all(started.map((byRegion) => byRegion.close()));
  });

  // Needs all four services' APIs: on a branch without one of them, the steps using it are reported MISSING.
  it('runs the whole scenario against both cities through their HTTP APIs', async () => {
    const registry = RegionRegistry.fromFile(regions.file);
    const lines: string[] = [];
    const report = await runDemo(
      {
        registry,
        urlOf: (region, service) => instances.get(`${region}/${service}`)!.url,
        tokenOf: devTokens(registry, DEV_JWT_SECRET),
        log: (line) => lines.push(line),
      },
      { a: regions.names.laixi, b: regions.names.laiyang },
    );
    const output = lines.join('\n');
    if (process.env.DEMO_VERBOSE) process.stderr.write(`${output}\n`);
    // The whole printout on failure: what each step did and why one did not.
    expect(output).not.toMatch(/^\s+(FAILED|MISSING|SKIPPED):/m);
    expect(report.steps.map((step) => step.outcome)).toEqual(report.steps.map(() => 'done'));
    expect(report.ok).toBe(true);
    expect(output).toMatch(/applied in laiyang-\w+ \d+ ms after it was sent/);
    expect(output).toMatch(/CBC: REUSABLE/);
    expect(output).toMatch(/ALT: OUTSIDE_VALIDITY_WINDOW/);
    expect(output).toMatch(/recognised 1 of its results and re-tested 1/);
    expect(output).toMatch(/decided: granted/);
    expect(output).toMatch(/denied \(already-granted\)/);
    expect(output).toMatch(/patrol-3 ACKNOWLEDGED/);
    expect(output).not.toMatch(/chain BROKEN/);
  });
});
