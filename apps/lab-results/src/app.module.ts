import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { ServiceCoreModule } from '@app/platform';

@Module({})
export class LabResultsAppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: LabResultsAppModule,
      imports: [ServiceCoreModule.forRoot(config, { entities: [], migrations: [] })],
    };
  }
}
