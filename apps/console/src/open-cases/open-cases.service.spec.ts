import { ConsoleConfig, ConsoleTarget } from '../console.config';
import { OpenCasesService } from './open-cases.service';

function configWith(targets: ConsoleTarget[]): ConsoleConfig {
  return { region: 'laixi', targets, tokenFor: (region: string) => `token-of-${region}` } as unknown as ConsoleConfig;
}

const row = {
  application_id: '6f1c1b1e-3f0a-4e55-9d1c-0c5a4f6f2a11',
  matter_code: 'ENT-FOOD-BIZ',
  filing_region: 'laiyang',
  status: 'under-review',
  accepted_on: '2026-11-02',
  deadline: '2026-11-09',
  paused_since: null,
  warned: true,
  escalated: false,
  identity: { residentId: 'never shown' },
};

describe(OpenCasesService.name, () => {
  afterEach(() => jest.restoreAllMocks());

  it("asks the console's own city's affairs service, with its operator token, and shows each case's clock", async () => {
    const fetched: { url: string; authorization: string }[] = [];
    jest.spyOn(global, 'fetch').mockImplementation((input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      fetched.push({ url, authorization: (init?.headers as Record<string, string>).Authorization });
      return Promise.resolve(new Response(JSON.stringify([row]), { status: 200 }));
    });
    const service = new OpenCasesService(
      configWith([
        { region: 'laiyang', service: 'affairs', url: 'http://laiyang-affairs' },
        { region: 'laixi', service: 'affairs', url: 'http://laixi-affairs' },
      ] as ConsoleTarget[]),
    );
    await expect(service.list()).resolves.toEqual({
      region: 'laixi',
      cases: [
        {
          applicationId: row.application_id,
          matterCode: 'ENT-FOOD-BIZ',
          filingRegion: 'laiyang',
          status: 'under-review',
          acceptedOn: '2026-11-02',
          deadline: '2026-11-09',
          paused: false,
          warned: true,
          overdue: false,
        },
      ],
    });
    expect(fetched).toEqual([{ url: 'http://laixi-affairs/cases?open=true', authorization: 'Bearer token-of-laixi' }]);
  });

  it('says why there is nothing to show', async () => {
    jest.spyOn(global, 'fetch').mockResolvedValue(new Response('{}', { status: 403 }));
    const service = new OpenCasesService(
      configWith([{ region: 'laixi', service: 'affairs', url: 'http://laixi-affairs' }] as ConsoleTarget[]),
    );
    await expect(service.list()).resolves.toEqual({ region: 'laixi', cases: [], error: 'answered 403' });
    await expect(new OpenCasesService(configWith([])).list()).resolves.toEqual({
      region: 'laixi',
      cases: [],
      error: 'no affairs service is watched in this city',
    });
  });
});
