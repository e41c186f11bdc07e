import { Controller } from '@nestjs/common';
import { BusContext, OnEvent } from '@app/bus';
import { EventPayload, LEDGER_ENTRY_APPENDED_V1 } from '@app/contracts';
import { LedgerEntriesProjectionService } from '../ledger-entries-projection.service';

/** A peer appended an entry to its ledger log. */
@Controller()
export class ApplyEntryWhenEntryAppendedHandler {
  constructor(private readonly entries: LedgerEntriesProjectionService) {}

  @OnEvent(LEDGER_ENTRY_APPENDED_V1)
  appended(appended: EventPayload<typeof LEDGER_ENTRY_APPENDED_V1>, context: BusContext): Promise<void> {
    return this.entries.apply(context.manager, context.origin, appended);
  }
}
