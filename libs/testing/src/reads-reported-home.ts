import request from 'supertest';
import type { AccessReportView } from '@app/audit';
import { eventually, TestService, testToken } from './test-stack';

type Node = Pick<TestService, 'config' | 'url'>;

/** A report as the home city's `GET /audit/access-reports` lists it. */
export type ReportedRead = AccessReportView;

interface ChainedEntry {
  id: string;
  seq?: string;
  hash?: string;
  prevHash?: string;
}

async function asOperator<T>(service: Node, path: string, query: Record<string, string>): Promise<T> {
  const response = await request(service.url)
    .get(path)
    .query(query)
    .set({ Authorization: `Bearer ${testToken(service.config, 'operator')}` });
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as T;
}

/**
 * A read made in `reader`'s city of `home`'s person's data: the reader's audit entry is sealed into its hash chain
 * (which verifies), and `home` answers `GET /audit/access-reports?subject=` with the report of that very entry.
 * Resolves to the report; rejects, naming what is missing, otherwise.
 */
export async function expectReportedHome(
  reader: Node,
  home: Node,
  subject: string,
  expected: Partial<ReportedRead> & { auditEntryId: string },
): Promise<ReportedRead> {
  const entry = await eventually(
    async () => {
      const entries = await asOperator<ChainedEntry[]>(reader, '/audit', { limit: '1000' });
      const found = entries.find((candidate) => candidate.id === expected.auditEntryId);
      return found?.hash ? found : undefined;
    },
    30_000,
    `audit entry ${expected.auditEntryId} sealed in ${reader.config.region}'s chain`,
  );
  if (!entry.seq || !entry.prevHash) throw new Error(`entry ${entry.id} is not linked into the chain`);
  const verdict = await asOperator<{ valid: boolean }>(reader, '/audit/verify', {});
  if (!verdict.valid)
    throw new Error(`${reader.config.region}'s audit chain does not verify: ${JSON.stringify(verdict)}`);

  const report = await eventually(
    async () => {
      const reports = await asOperator<ReportedRead[]>(home, '/audit/access-reports', { subject });
      return reports.find(
        (candidate) =>
          candidate.auditEntryId === expected.auditEntryId && candidate.readerRegion === reader.config.region,
      );
    },
    30_000,
    `${home.config.region} holding the report of ${reader.config.region}'s entry ${expected.auditEntryId}`,
  );
  for (const [key, value] of Object.entries(expected) as [keyof ReportedRead, unknown][]) {
    if (JSON.stringify(report[key]) !== JSON.stringify(value)) {
      throw new Error(`report ${key}: expected ${JSON.stringify(value)}, got ${JSON.stringify(report[key])}`);
    }
  }
  if (!report.subjects.includes(subject)) throw new Error(`report does not name ${subject}`);
  return report;
}
