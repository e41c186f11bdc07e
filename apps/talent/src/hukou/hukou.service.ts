import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusPublisher, Pseudonymizer } from '@app/bus';
import { AppConfig } from '@app/config';
import { HukouRecordedV1, TALENT_HUKOU_RECORDED_V1 } from '@app/contracts';
import { DomainError } from '@app/http';
import { Clock } from '@app/platform';
import { isCalendarDate } from '../common/calendar';
import { HukouRecordDto } from './dto/hukou-record.dto';
import { HukouRepository } from './hukou.repository';

/** Household-registration facts: each city publishes those it is the authority for. */
@Injectable()
export class HukouService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly pseudonyms: Pseudonymizer,
    private readonly publisher: BusPublisher,
    private readonly hukou: HukouRepository,
  ) {}

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
}
