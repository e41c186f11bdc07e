import { Injectable } from '@nestjs/common';
import { ConsoleConfig } from '../console.config';

const REQUEST_TIMEOUT_MS = 3000;

/** One open case as the console shows it: its matter, where it was filed, its state and its working-day clock. */
export interface OpenCase {
  applicationId: string;
  matterCode: string;
  filingRegion: string;
  status: string;
  acceptedOn: string | null;
  deadline: string | null;
  paused: boolean;
  warned: boolean;
  overdue: boolean;
}

/** The cases the console's city handles and has not closed, or why they cannot be shown. */
export interface OpenCases {
  region: string;
  cases: OpenCase[];
  error?: string;
}

interface CaseRow {
  application_id: string;
  matter_code: string;
  filing_region: string;
  status: string;
  accepted_on: string | null;
  deadline: string | null;
  paused_since: string | null;
  warned: boolean;
  escalated: boolean;
}

/** Asks the console's own city's affairs service for its open cases (a node answers its own city only). */
@Injectable()
export class OpenCasesService {
  constructor(private readonly config: ConsoleConfig) {}

  async list(): Promise<OpenCases> {
    const region = this.config.region;
    const target = this.config.targets.find(
      (candidate) => candidate.region === region && candidate.service === 'affairs',
    );
    if (!target) return { region, cases: [], error: 'no affairs service is watched in this city' };
    try {
      const response = await fetch(`${target.url}/cases?open=true`, {
        headers: { Authorization: `Bearer ${this.config.tokenFor(region)}` },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      if (!response.ok) return { region, cases: [], error: `answered ${response.status}` };
      const rows = (await response.json()) as CaseRow[];
      return {
        region,
        cases: rows.map((row) => ({
          applicationId: row.application_id,
          matterCode: row.matter_code,
          filingRegion: row.filing_region,
          status: row.status,
          acceptedOn: row.accepted_on,
          deadline: row.deadline,
          paused: row.paused_since !== null,
          warned: row.warned,
          overdue: row.escalated,
        })),
      };
    } catch (error) {
      return { region, cases: [], error: `unreachable (${(error as Error).message})` };
    }
  }
}
