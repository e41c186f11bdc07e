import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { ServiceCoreModule } from '@app/platform';

@Module({})
export class TalentAppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: TalentAppModule,
      imports: [ServiceCoreModule.forRoot(config, { entities: [], migrations: [] })],
    };
  }
}
