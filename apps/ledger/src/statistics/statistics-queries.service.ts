import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { yearBefore } from '../split/split';
import { PeriodFigures, StatisticsRepository } from './statistics.repository';

/** One city's figures of one project and indicator in a period, beside the same period a year before. */
export interface StatisticsRow {
  period: string;
  region: string;
  projectId: string;
  projectName: string;
  indicator: string;
  /** Counted in place: the whole amount, in the city where it was produced (the host). */
  countedInPlaceFen: string;
  /** Due to the city under the agreement: its share of the split. */
  dueFen: string;
  countedInPlaceFenYearBefore: string;
  dueFenYearBefore: string;
  settled: boolean;
}

const CSV_COLUMNS: (keyof StatisticsRow)[] = [
  'period',
  'region',
  'projectId',
  'projectName',
  'indicator',
  'countedInPlaceFen',
  'dueFen',
  'countedInPlaceFenYearBefore',
  'dueFenYearBefore',
  'settled',
];

function csvField(value: string | boolean): string {
  const text = String(value);
  // A leading =, +, - or @ would be read as a formula by a spreadsheet (CSV injection).
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

@Injectable()
export class StatisticsQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly statistics: StatisticsRepository,
  ) {}

  /** Per city, project and indicator: counted in place beside the amounts due, with the year before; last versions. */
  async figures(period: string): Promise<StatisticsRow[]> {
    const before = yearBefore(period);
    const declarations = await this.statistics.latest(this.dataSource.manager, [period, before]);
    const key = (d: PeriodFigures) => d.project_id;
    const previous = new Map(declarations.filter((d) => d.period === before).map((d) => [key(d), d]));
    const rows: StatisticsRow[] = [];
    for (const current of declarations.filter((d) => d.period === period)) {
      const earlier = previous.get(key(current));
      for (const region of [current.fly_out, current.fly_in]) {
        for (const { indicator, amountFen } of current.amounts) {
          const inPlace = (d: PeriodFigures | undefined, amount?: string) =>
            d && d.fly_in === region ? (amount ?? '0') : '0';
          const due = (d: PeriodFigures | undefined) =>
            d?.split.find((s) => s.indicator === indicator && s.region === region)?.amountFen ?? '0';
          rows.push({
            period,
            region,
            projectId: current.project_id,
            projectName: current.name,
            indicator,
            countedInPlaceFen: inPlace(current, amountFen),
            dueFen: due(current),
            countedInPlaceFenYearBefore: inPlace(
              earlier,
              earlier?.amounts.find((a) => a.indicator === indicator)?.amountFen,
            ),
            dueFenYearBefore: due(earlier),
            settled: current.settled,
          });
        }
      }
    }
    return rows.sort((a, b) =>
      a.region !== b.region ? a.region.localeCompare(b.region) : a.projectName.localeCompare(b.projectName),
    );
  }

  async csv(period: string): Promise<string> {
    const rows = await this.figures(period);
    return [CSV_COLUMNS.join(','), ...rows.map((row) => CSV_COLUMNS.map((c) => csvField(row[c])).join(','))]
      .map((line) => `${line}\r\n`)
      .join('');
  }
}
