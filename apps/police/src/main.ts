import 'reflect-metadata';
import { runService } from '@app/platform';
import { PoliceAppModule } from './app.module';

void runService('police', (config) => PoliceAppModule.register(config));
