import 'reflect-metadata';
import { runService } from '@app/platform';
import { AffairsAppModule } from './app.module';

void runService('affairs', (config) => AffairsAppModule.register(config));
