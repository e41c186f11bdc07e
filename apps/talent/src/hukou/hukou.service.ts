import { randomUUID } from 'node:crypto';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusPublisher, Pseudonymizer, ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import { HukouRecordedV1, TALENT_HUKOU_RECORDED_V1 } from '@app/contracts';
import { DomainError } from '@app/http';
import { Clock } from '@app/platform';
import { isCalendarDate } from '../common/calendar';
import { TalentConfig } from '../config/talent-config';
import { HukouRecordDto } from './dto/hukou-record.dto';
import { HukouFactRow, HukouRepository } from './hukou.repository';

export interface HukouStatus {
  region: string;
  registered: boolean;
  /** The last change this city recorded, and its date. */
  lastChange: HukouFactRow['change'];
  since: string;
  /** The services this city recognises the registration for (another city's registration). */
  recognisedFor: readonly string[];
}

/** Household-registration facts: each city publishes those it is the authority for. */
@Injectable()
export class HukouService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly talent: TalentConfig,
    private readonly clock: Clock,
    private readonly pseudonyms: Pseudonymizer,
    private readonly publisher: BusPublisher,
    private readonly hukou: HukouRepository,
    private readonly replay: ReplayService,
  ) {}

  onModuleInit(): void {
    this.replay.registerProjection((manager) => this.hukou.resetProjected(manager, this.config.region));
  }

  async record(dto: HukouRecordDto): Promise<HukouRecordedV1> {
    if (!isCalendarDate(dto.on)) throw new DomainError('TALENT.INVALID_DATE', 'invalid', `${dto.on} is not a date`);
    const fact: HukouRecordedV1 = {
      factId: randomUUID(),
      person: this.pseudonyms.of(dto.residentId),
      change: dto.change,
      on: dto.on,
      recordedAt: this.clock.now().toISOString(),
    };
    await this.dataSource.transaction(async (manager) => {
      await this.hukou.insert(manager, this.config.region, fact);
      await this.publisher.publish(manager, TALENT_HUKOU_RECORDED_V1, fact.person, fact);
    });
    return fact;
  }

  /** Per city, the person's registration as of its latest fact. */
  status(facts: HukouFactRow[]): HukouStatus[] {
    const latest = new Map<string, HukouFactRow>();
    for (const fact of facts) latest.set(fact.origin, fact);
    return [...latest.values()].map((fact) => {
      const registered = fact.change !== 'moved-out';
      return {
        region: fact.origin,
        registered,
        lastChange: fact.change,
        since: fact.on,
        recognisedFor: registered && fact.origin !== this.config.region ? this.talent.hukouServices : [],
      };
    });
  }
}
