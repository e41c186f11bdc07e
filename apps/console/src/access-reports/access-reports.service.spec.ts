import { ConsoleConfig, ConsoleTarget } from '../console.config';
import { AccessReportsService } from './access-reports.service';

const SUBJECT = 'p1.' + 'a'.repeat(43);

function configWith(targets: ConsoleTarget[]): ConsoleConfig {
  return { region: 'laixi', targets, tokenFor: (region: string) => `token-of-${region}` } as unknown as ConsoleConfig;
}

const report = {
  readerRegion: 'laiyang',
  subjects: [SUBJECT],
  action: 'lab.results.reuse-query',
  at: '2026-11-29T10:00:00.000Z',
};

describe(AccessReportsService.name, () => {
  afterEach(() => jest.restoreAllMocks());

  it("asks each service of the console's own city, with that city's operator token, and says which could not answer", async () => {
    const fetched: { url: string; authorization: string }[] = [];
    jest.spyOn(global, 'fetch').mockImplementation((input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      fetched.push({ url, authorization: (init?.headers as Record<string, string>).Authorization });
      if (url.startsWith('http://lab')) return Promise.resolve(new Response(JSON.stringify([report]), { status: 200 }));
      if (url.startsWith('http://talent')) return Promise.resolve(new Response('{}', { status: 503 }));
      return Promise.reject(new Error('connect ECONNREFUSED'));
    });
    const service = new AccessReportsService(
      configWith([
        { region: 'laixi', service: 'lab-results', url: 'http://lab' },
        { region: 'laixi', service: 'talent', url: 'http://talent' },
        { region: 'laixi', service: 'police', url: 'http://police' },
        { region: 'laiyang', service: 'lab-results', url: 'http://laiyang-lab' },
      ] as ConsoleTarget[]),
    );

    await expect(service.ofSubject(SUBJECT)).resolves.toEqual([
      { service: 'lab-results', reports: [report] },
      { service: 'talent', reports: [], error: 'answered 503' },
      { service: 'police', reports: [], error: 'unreachable (connect ECONNREFUSED)' },
    ]);
    expect(fetched.map((call) => call.url)).toEqual([
      `http://lab/audit/access-reports?subject=${SUBJECT}`,
      `http://talent/audit/access-reports?subject=${SUBJECT}`,
      `http://police/audit/access-reports?subject=${SUBJECT}`,
    ]);
    expect(new Set(fetched.map((call) => call.authorization))).toEqual(new Set(['Bearer token-of-laixi']));
  });
});
