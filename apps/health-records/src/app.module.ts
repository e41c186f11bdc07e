import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { ServiceCoreModule } from '@app/platform';

@Module({})
export class HealthRecordsAppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: HealthRecordsAppModule,
      imports: [ServiceCoreModule.forRoot(config, { entities: [], migrations: [] })],
    };
  }
}
