import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusContext } from '@app/bus';
import {
  HEALTH_RECORDS_ACCESSED_V1,
  HEALTH_RECORDS_PURGED_V1,
  RecordsAccessedV1,
  RecordsPurgedV1,
} from '@app/contracts';
import { AccessReportsService } from '../sharing/access-reports.service';

/** What a peer reports about this city's patients: a read of their records, a purge done. */
@Controller()
export class RecordReportWhenPeerReportsHandler {
  constructor(private readonly reports: AccessReportsService) {}

  @EventPattern(HEALTH_RECORDS_ACCESSED_V1)
  async accessed(@Payload() access: RecordsAccessedV1, @Ctx() context: BusContext): Promise<void> {
    await this.reports.recordAccess(context.manager, context.origin, access);
  }

  @EventPattern(HEALTH_RECORDS_PURGED_V1)
  async purged(@Payload() purged: RecordsPurgedV1, @Ctx() context: BusContext): Promise<void> {
    await this.reports.recordPurge(context.manager, context.origin, purged);
  }
}
