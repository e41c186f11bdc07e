import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { AuditService } from '@app/audit';
import { Pseudonymizer } from '@app/bus';
import { AppConfig } from '@app/config';
import { DomainError, Principal } from '@app/http';
import { Clock } from '@app/platform';
import { isValidOn } from '../benefit/arbitration';
import { BenefitRepository } from '../benefit/benefit.repository';
import { CertificationRepository } from '../certification/certification.repository';
import { chinaDate } from '../common/calendar';
import { TalentConfig } from '../config/talent-config';
import { HukouRepository } from '../hukou/hukou.repository';
import { HukouService } from '../hukou/hukou.service';
import { StatusQueryDto } from './dto/status-query.dto';

/** Hit / no-hit: whether the person holds a certification valid today, and nothing else. */
export interface StatusHit {
  hit: boolean;
}

/**
 * A person's recognised status across all cities, answered from this city's own tables (its certifications and
 * hukou facts, and those projected from the other cities): no call crosses the line at query time.
 */
@Injectable()
export class StatusService {
  private readonly queries: Counter<'answer'>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly talent: TalentConfig,
    private readonly clock: Clock,
    private readonly pseudonyms: Pseudonymizer,
    private readonly audit: AuditService,
    private readonly certifications: CertificationRepository,
    private readonly hukouFacts: HukouRepository,
    private readonly hukou: HukouService,
    private readonly benefits: BenefitRepository,
    registry: Registry,
  ) {
    this.queries = new Counter({
      name: 'talent_status_queries_total',
      help: 'Status queries answered, by kind of answer (full, or hit/no-hit)',
      labelNames: ['answer'],
      registers: [registry],
    });
  }

  async query(principal: Principal, dto: StatusQueryDto) {
    const person = this.pseudonyms.of(dto.residentId);
    const today = chinaDate(this.clock.now());
    if (principal.role !== 'hr-bureau') {
      const held = await this.certifications.byPerson(this.dataSource.manager, person);
      this.queries.inc({ answer: 'hit' });
      return { hit: held.some((row) => isValidOn(row, today)) } satisfies StatusHit;
    }
    if (!dto.purpose) {
      throw new DomainError('TALENT.PURPOSE_REQUIRED', 'invalid', 'a full status query must state its purpose');
    }
    const purpose = dto.purpose;
    const answer = await this.dataSource.transaction(async (manager) => {
      const [held, facts, grants] = await Promise.all([
        this.certifications.byPerson(manager, person),
        this.hukouFacts.byPerson(manager, person),
        this.benefits.grantsByPerson(manager, person),
      ]);
      await this.audit.append(manager, {
        actor: principal.sub ?? principal.org,
        role: principal.role,
        org: principal.org,
        actorRegion: principal.region,
        action: 'talent.status.read',
        purpose,
        subject: person,
        resources: held.map((row) => `certification/${row.certificationId}`),
      });
      const certifications = held.map(({ person: _person, origin, ...row }) => ({
        ...row,
        tierName: this.talent.tiers.get(row.tier)?.name ?? row.tier,
        issuingRegion: origin,
        validToday: isValidOn(row, today),
      }));
      return {
        hit: certifications.some((row) => row.validToday),
        person,
        asOf: today,
        answeredBy: this.config.region,
        certifications,
        hukou: this.hukou.status(facts),
        benefits: grants.map(({ origin: _origin, ...grant }) => grant),
      };
    });
    this.queries.inc({ answer: 'full' });
    return answer;
  }
}
