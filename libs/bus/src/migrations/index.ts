import { BusTables1795400000000 } from './1795400000000-bus-tables';
import { OutboxRelay1795600000000 } from './1795600000000-outbox-relay';
import { InboxRetention1795620000000 } from './1795620000000-inbox-retention';

/** The bus's migrations; every service runs them before its own. */
export const BUS_MIGRATIONS = [BusTables1795400000000, OutboxRelay1795600000000, InboxRetention1795620000000];
