import 'reflect-metadata';
import { runService } from '@app/platform';
import { LabResultsAppModule } from './app.module';

void runService('lab-results', (config) => LabResultsAppModule.register(config));
