import 'reflect-metadata';
import { runService } from '@app/platform';
import { PoliceAppModule } from './app.module';
import { CatalogueError, PoliceCatalogue } from './catalogue/police-catalogue';

let catalogue: PoliceCatalogue;
try {
  catalogue = PoliceCatalogue.fromEnvironment();
} catch (error) {
  if (!(error instanceof CatalogueError)) throw error;
  process.stderr.write(`police: invalid configuration: ${error.message}\n`);
  process.exit(2);
}
void runService('police', (config) => PoliceAppModule.register(config, catalogue));
