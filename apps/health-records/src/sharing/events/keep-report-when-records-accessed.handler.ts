import { Controller } from '@nestjs/common';
import { AccessReportService } from '@app/audit';
import { BusContext, OnEvent } from '@app/bus';
import { HEALTH_RECORDS_ACCESSED_V1, EventPayload } from '@app/contracts';

/**
 * A peer that has not moved to `cn.shuanglai.bus.audit.access-reported.v1` yet (and this city's topics replayed)
 * still reports reads of this city's patients' records in health's own event: kept as the shared reports are.
 */
@Controller()
export class KeepReportWhenRecordsAccessedHandler {
  constructor(private readonly reports: AccessReportService) {}

  @OnEvent(HEALTH_RECORDS_ACCESSED_V1)
  async accessed(payload: EventPayload<typeof HEALTH_RECORDS_ACCESSED_V1>, context: BusContext): Promise<void> {
    await this.reports.keepReport(context.manager, context.origin, {
      service: 'health-records',
      subjects: [payload.patient],
      actor: payload.actor,
      // Only a HIS reads shared records; the old event did not say so.
      role: 'his',
      org: payload.org,
      actorRegion: payload.actorRegion,
      action: payload.documents.length === 1 ? 'health.record.read' : 'health.record.list',
      purpose: payload.purpose,
      resources: payload.documents,
      auditEntryId: payload.auditEntryId,
      at: payload.at,
    });
  }
}
