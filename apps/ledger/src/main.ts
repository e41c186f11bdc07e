import 'reflect-metadata';
import { runService } from '@app/platform';
import { LedgerAppModule } from './app.module';

void runService('ledger', (config) => LedgerAppModule.register(config));
