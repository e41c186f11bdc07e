import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { ServiceCoreModule } from '@app/platform';

@Module({})
export class PoliceAppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: PoliceAppModule,
      imports: [ServiceCoreModule.forRoot(config, { entities: [], migrations: [] })],
    };
  }
}
