import { Injectable } from '@nestjs/common';
import type { AccessReportView } from '@app/audit';
import { ConsoleConfig } from '../console.config';

const REQUEST_TIMEOUT_MS = 3000;

/** One report, as a service's `GET /audit/access-reports` answers it. */
export type AccessReport = AccessReportView;

/** What one service of the console's city answered: its reports, or why there are none to show. */
export interface ServiceAccessReports {
  service: string;
  reports: AccessReport[];
  error?: string;
}

/**
 * "Who in the other city read data about this person, when, for what purpose", asked of every service of the
 * console's own city: the city whose people they are keeps the reports its peers sent (`@app/audit`).
 */
@Injectable()
export class AccessReportsService {
  constructor(private readonly config: ConsoleConfig) {}

  async ofSubject(subject: string): Promise<ServiceAccessReports[]> {
    const targets = this.config.targets.filter((target) => target.region === this.config.region);
    return Promise.all(
      targets.map(async (target): Promise<ServiceAccessReports> => {
        try {
          const response = await fetch(`${target.url}/audit/access-reports?subject=${encodeURIComponent(subject)}`, {
            headers: { Authorization: `Bearer ${this.config.tokenFor(target.region)}` },
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          });
          if (!response.ok) return { service: target.service, reports: [], error: `answered ${response.status}` };
          return { service: target.service, reports: (await response.json()) as AccessReport[] };
        } catch (error) {
          return { service: target.service, reports: [], error: `unreachable (${(error as Error).message})` };
        }
      }),
    );
  }
}
