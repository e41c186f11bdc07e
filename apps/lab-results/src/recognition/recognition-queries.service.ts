import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { RecognitionRepository } from './recognition.repository';

// Months are counted in China time (UTC+8, no daylight saving time).
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

export interface DecisionCounts {
  recognised: number;
  retested: number;
  retestReasons: Record<string, number>;
  /** Tests not repeated (accepted results) and what they would have cost where the decision was made, in fen. */
  testsSaved: number;
  costSavedFen: number;
}

/** Both cities' monthly statistics of recognitions and re-tests, by partner. */
@Injectable()
export class RecognitionQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly decisions: RecognitionRepository,
  ) {}

  /**
   * Per partner city for a month: the decisions made here on its results (tests this city saved) and the ones it
   * made on results issued here (tests this city's results saved it).
   */
  async statistics(month: string) {
    const { from, until } = monthRange(month);
    const rows = await this.decisions.countsBetween(this.dataSource.manager, from, until);
    const partners = new Map<string, { partner: string; reusedHere: DecisionCounts; reusedThere: DecisionCounts }>();
    for (const partner of this.config.peers) {
      partners.set(partner, { partner, reusedHere: emptyCounts(), reusedThere: emptyCounts() });
    }
    for (const row of rows) {
      const entry = partners.get(row.partner) ?? {
        partner: row.partner,
        reusedHere: emptyCounts(),
        reusedThere: emptyCounts(),
      };
      partners.set(row.partner, entry);
      const counts = row.direction === 'made' ? entry.reusedHere : entry.reusedThere;
      if (row.outcome === 'accepted') {
        counts.recognised += row.n;
        counts.testsSaved += row.n;
        counts.costSavedFen += Number(row.fen);
      } else {
        counts.retested += row.n;
        const reason = row.reason_code ?? 'OTHER';
        counts.retestReasons[reason] = (counts.retestReasons[reason] ?? 0) + row.n;
      }
    }
    return {
      region: this.config.region,
      month,
      from: from.toISOString(),
      until: until.toISOString(),
      partners: [...partners.values()],
    };
  }
}

/** The instants a calendar month (`YYYY-MM`) of China time starts and ends at. */
export function monthRange(month: string): { from: Date; until: Date } {
  const [year, monthNumber] = month.split('-').map(Number);
  return {
    from: new Date(Date.UTC(year, monthNumber - 1, 1) - CHINA_OFFSET_MS),
    until: new Date(Date.UTC(year, monthNumber, 1) - CHINA_OFFSET_MS),
  };
}

function emptyCounts(): DecisionCounts {
  return { recognised: 0, retested: 0, retestReasons: {}, testsSaved: 0, costSavedFen: 0 };
}
