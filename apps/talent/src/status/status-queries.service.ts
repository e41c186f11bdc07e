import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessReportService } from '@app/audit';
import { Pseudonymizer } from '@app/bus';
import { AppConfig } from '@app/config';
import { DomainError, Principal, actorOf } from '@app/http';
import { Clock } from '@app/platform';
import { isValidOn } from '../benefit/arbitration';
import { chinaDate } from '../common/calendar';
import { GroupCommit } from '../common/group-commit';
import { TalentProgramme } from '../config/talent-config';
import { HukouStatus, hukouStatus } from '../hukou/hukou-status';
import { TalentMetrics } from '../talent.metrics';
import { StatusQueryDto } from './dto/status-query.dto';
import { PersonRecord, StatusRepository } from './status.repository';

/** Hit / no-hit: whether the person holds a certification valid today, and nothing else. */
export interface StatusHit {
  hit: boolean;
}

/**
 * A status query: `full` (hr-bureau, with its purpose) shows every fact; `hit` (any other role) only whether a
 * certification is valid today. Both read the person's certifications, so both are audited and reported home.
 */
interface StatusQuery {
  kind: 'hit' | 'full';
  principal: Principal;
  person: string;
  purpose?: string;
  today: string;
}

export interface FullStatus extends StatusHit {
  person: string;
  asOf: string;
  answeredBy: string;
  certifications: object[];
  hukou: HukouStatus[];
  benefits: object[];
}

/**
 * A person's recognised status across all cities, answered from this city's own tables (its certifications and
 * hukou facts, and those projected from the other cities): no call crosses the line at query time.
 */
@Injectable()
export class StatusQueriesService {
  /**
   * Answers are read and audited in one transaction; the audit chain admits one appending transaction at a time,
   * so the queries that arrive meanwhile are answered together in the next one.
   */
  private readonly answers = new GroupCommit<StatusQuery, StatusHit | FullStatus>((queries) => this.answer(queries));

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly programme: TalentProgramme,
    private readonly clock: Clock,
    private readonly pseudonyms: Pseudonymizer,
    private readonly accessReports: AccessReportService,
    private readonly records: StatusRepository,
    private readonly metrics: TalentMetrics,
  ) {}

  async status(principal: Principal, dto: StatusQueryDto): Promise<StatusHit | FullStatus> {
    const person = this.pseudonyms.of(dto.residentId);
    const today = chinaDate(this.clock.now());
    const kind = principal.role === 'hr-bureau' ? 'full' : 'hit';
    if (kind === 'full' && !dto.purpose) {
      throw new DomainError('TALENT.PURPOSE_REQUIRED', 'invalid', 'a full status query must state its purpose');
    }
    const answer = await this.answers.submit({ kind, principal, person, purpose: dto.purpose, today });
    this.metrics.statusQueries.inc({ answer: kind });
    return answer;
  }

  private answer(queries: StatusQuery[]): Promise<(StatusHit | FullStatus)[]> {
    const people = [...new Set(queries.map((query) => query.person))];
    return this.dataSource.transaction(async (manager) => {
      const records = await this.records.byPeople(manager, people);
      // Audited here, and each read reported to the cities whose facts it read: a hit/no-hit answer reveals
      // whether someone is certified, so it reads (and reports) the certifications; a full answer everything.
      await this.accessReports.recordReads(
        manager,
        queries.map(({ kind, principal, person, purpose }) => ({
          actor: actorOf(principal),
          role: principal.role,
          org: principal.org,
          actorRegion: principal.region,
          action: kind === 'full' ? 'talent.status.read' : 'talent.status.checked',
          ...(purpose !== undefined && { purpose }),
          subjects: [person],
          resourcesByHome: resourcesByHome(records.get(person), kind),
        })),
      );
      return queries.map(({ kind, person, today }): StatusHit | FullStatus => {
        if (kind === 'hit') {
          return { hit: (records.get(person)?.certifications ?? []).some((row) => isValidOn(row, today)) };
        }
        const certifications = (records.get(person)?.certifications ?? []).map(
          ({ person: _person, origin, ...row }) => ({
            ...row,
            tierName: this.programme.tiers.get(row.tier)?.name ?? row.tier,
            issuingRegion: origin,
            validToday: isValidOn(row, today),
          }),
        );
        return {
          hit: certifications.some((row) => row.validToday),
          person,
          asOf: today,
          answeredBy: this.config.region,
          certifications,
          hukou: hukouStatus(records.get(person)?.hukou ?? [], this.config.region, this.programme.hukouServices),
          benefits: (records.get(person)?.grants ?? []).map(({ origin: _origin, person: _grantee, ...grant }) => grant),
        };
      });
    });
  }
}

/** What an answer read of a person, by the city each fact comes from: a hit/no-hit reads the certifications only. */
function resourcesByHome(record: PersonRecord | undefined, kind: StatusQuery['kind']): Record<string, string[]> {
  const byHome: Record<string, string[]> = {};
  const add = (home: string, resource: string) => (byHome[home] ??= []).push(resource);
  for (const row of record?.certifications ?? []) add(row.origin, `certification/${row.certificationId}`);
  if (kind === 'hit') return byHome;
  for (const row of record?.hukou ?? []) add(row.origin, `hukou/${row.factId}`);
  for (const row of record?.grants ?? []) add(row.origin, `grant/${row.grantId}`);
  return byHome;
}
