import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { ServiceCoreModule } from '@app/platform';
import { BenefitController } from './benefit/benefit.controller';
import { BenefitRepository } from './benefit/benefit.repository';
import { BenefitService } from './benefit/benefit.service';
import { CertificationController } from './certification/certification.controller';
import { CertificationRepository } from './certification/certification.repository';
import { CertificationService } from './certification/certification.service';
import { pseudonymizerProvider } from './common/pseudonym.provider';
import { TalentConfig, loadTalentConfig } from './config/talent-config';
import { ArbitrateWhenClaimRequestedHandler } from './events/arbitrate-when-claim-requested.handler';
import { ProjectWhenBenefitGrantedHandler } from './events/project-when-benefit-granted.handler';
import { ProjectWhenCertificationChangesHandler } from './events/project-when-certification-changes.handler';
import { ProjectWhenHukouRecordedHandler } from './events/project-when-hukou-recorded.handler';
import { RecordWhenClaimDecidedHandler } from './events/record-when-claim-decided.handler';
import { HukouController } from './hukou/hukou.controller';
import { HukouRepository } from './hukou/hukou.repository';
import { HukouService } from './hukou/hukou.service';
import { TalentTables1795500000000 } from './migrations/1795500000000-talent-tables';
import { StatisticsController } from './statistics/statistics.controller';
import { StatisticsService } from './statistics/statistics.service';
import { StatusController } from './status/status.controller';
import { StatusRepository } from './status/status.repository';
import { StatusService } from './status/status.service';

@Module({})
export class TalentAppModule {
  /** `talent` defaults to TALENT_CONFIG_FILE (config/talent.json); tests pass their own programme. */
  static register(config: AppConfig, talent: TalentConfig = loadTalentConfig(config.region)): DynamicModule {
    return {
      module: TalentAppModule,
      imports: [ServiceCoreModule.forRoot(config, { entities: [], migrations: [TalentTables1795500000000] })],
      controllers: [
        CertificationController,
        HukouController,
        StatusController,
        BenefitController,
        StatisticsController,
        ProjectWhenCertificationChangesHandler,
        ProjectWhenHukouRecordedHandler,
        ArbitrateWhenClaimRequestedHandler,
        RecordWhenClaimDecidedHandler,
        ProjectWhenBenefitGrantedHandler,
      ],
      providers: [
        { provide: TalentConfig, useValue: talent },
        pseudonymizerProvider,
        CertificationRepository,
        CertificationService,
        HukouRepository,
        HukouService,
        StatusRepository,
        StatusService,
        BenefitRepository,
        BenefitService,
        StatisticsService,
      ],
    };
  }
}
