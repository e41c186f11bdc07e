import 'reflect-metadata';
import { ConfigError, loadServiceConfig } from '@app/config';
import { runService } from '@app/platform';
import { PoliceAppModule } from './app.module';
import { PoliceCatalogue } from './catalogue/police-catalogue';
import { PoliceConfig } from './police.config';

let police: PoliceConfig;
let catalogue: PoliceCatalogue;
try {
  police = loadServiceConfig(PoliceConfig);
  catalogue = PoliceCatalogue.load(police);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`police: invalid configuration: ${error.message}\n`);
  process.exit(2);
}
void runService('police', (config) => PoliceAppModule.register(config, police, catalogue));
