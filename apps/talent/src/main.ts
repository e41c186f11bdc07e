import 'reflect-metadata';
import { runService } from '@app/platform';
import { TalentAppModule } from './app.module';

void runService('talent', (config) => TalentAppModule.register(config));
