import 'reflect-metadata';
import { runService } from '@app/platform';
import { HealthRecordsAppModule } from './app.module';

void runService('health-records', (config) => HealthRecordsAppModule.register(config));
