import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, loadServiceConfig } from '@app/config';
import { ServiceCoreModule } from '@app/platform';
import { BenefitAnswerService } from './benefit/benefit-answer.service';
import { BenefitArbitrationService } from './benefit/benefit-arbitration.service';
import { BenefitGrantService } from './benefit/benefit-grant.service';
import { BenefitProjectionService } from './benefit/benefit-projection.service';
import { BenefitQueriesService } from './benefit/benefit-queries.service';
import { BenefitController } from './benefit/benefit.controller';
import { BenefitRepository } from './benefit/benefit.repository';
import { BenefitService } from './benefit/benefit.service';
import { ArbitrateWhenClaimRequestedHandler } from './benefit/events/arbitrate-when-claim-requested.handler';
import { ProjectWhenBenefitGrantedHandler } from './benefit/events/project-when-benefit-granted.handler';
import { RecordWhenClaimDecidedHandler } from './benefit/events/record-when-claim-decided.handler';
import { CertificationProjectionService } from './certification/certification-projection.service';
import { CertificationQueriesService } from './certification/certification-queries.service';
import { CertificationController } from './certification/certification.controller';
import { CertificationRepository } from './certification/certification.repository';
import { CertificationService } from './certification/certification.service';
import { CertifyWhenAuthorityHandedOverHandler } from './certification/events/certify-when-authority-handed-over.handler';
import { HandOverWhenAuthorityRequestedHandler } from './certification/events/hand-over-when-authority-requested.handler';
import { RecordWhenAuthorityRefusedHandler } from './certification/events/record-when-authority-refused.handler';
import { ProjectWhenCertificationRenewedHandler } from './certification/events/project-when-certification-renewed.handler';
import { ProjectWhenCertificationRevokedHandler } from './certification/events/project-when-certification-revoked.handler';
import { ProjectWhenCertificationSuspendedHandler } from './certification/events/project-when-certification-suspended.handler';
import { ProjectWhenCertifiedHandler } from './certification/events/project-when-certified.handler';
import { CertificationAnswers } from './certification/certification-answers';
import { PersonAuthorityService } from './certification/person-authority.service';
import { TalentProgramme, loadTalentConfig } from './config/talent-config';
import { TalentRetention } from './retention/talent-retention';
import { TalentConfig } from './talent.config';
import { ProjectWhenHukouRecordedHandler } from './hukou/events/project-when-hukou-recorded.handler';
import { HukouProjectionService } from './hukou/hukou-projection.service';
import { HukouController } from './hukou/hukou.controller';
import { HukouRepository } from './hukou/hukou.repository';
import { HukouService } from './hukou/hukou.service';
import { TalentTables1795500000000 } from './migrations/1795500000000-talent-tables';
import { TalentAuthority1795600000000 } from './migrations/1795600000000-talent-authority';
import { StatisticsQueriesService } from './statistics/statistics-queries.service';
import { StatisticsController } from './statistics/statistics.controller';
import { StatisticsRepository } from './statistics/statistics.repository';
import { StatusQueriesService } from './status/status-queries.service';
import { StatusController } from './status/status.controller';
import { StatusRepository } from './status/status.repository';
import { TalentMetrics } from './talent.metrics';

@Module({})
export class TalentAppModule {
  /** `programme` defaults to the file named by TALENT_CONFIG_FILE (config/talent.json); tests pass their own. */
  static register(
    config: AppConfig,
    programme: TalentProgramme = loadTalentConfig(config.region),
    talent: TalentConfig = loadServiceConfig(TalentConfig),
  ): DynamicModule {
    return {
      module: TalentAppModule,
      imports: [
        ServiceCoreModule.forRoot(config, {
          entities: [],
          migrations: [TalentTables1795500000000, TalentAuthority1795600000000],
        }),
      ],
      controllers: [
        CertificationController,
        ProjectWhenCertifiedHandler,
        ProjectWhenCertificationRenewedHandler,
        ProjectWhenCertificationSuspendedHandler,
        ProjectWhenCertificationRevokedHandler,
        HandOverWhenAuthorityRequestedHandler,
        CertifyWhenAuthorityHandedOverHandler,
        RecordWhenAuthorityRefusedHandler,
        HukouController,
        ProjectWhenHukouRecordedHandler,
        BenefitController,
        ArbitrateWhenClaimRequestedHandler,
        RecordWhenClaimDecidedHandler,
        ProjectWhenBenefitGrantedHandler,
        StatusController,
        StatisticsController,
      ],
      providers: [
        { provide: TalentProgramme, useValue: programme },
        { provide: TalentConfig, useValue: talent },
        TalentMetrics,
        TalentRetention,
        CertificationRepository,
        CertificationService,
        CertificationQueriesService,
        CertificationProjectionService,
        PersonAuthorityService,
        CertificationAnswers,
        HukouRepository,
        HukouService,
        HukouProjectionService,
        BenefitRepository,
        BenefitService,
        BenefitArbitrationService,
        BenefitAnswerService,
        BenefitGrantService,
        BenefitProjectionService,
        BenefitQueriesService,
        StatusRepository,
        StatusQueriesService,
        StatisticsRepository,
        StatisticsQueriesService,
      ],
    };
  }
}
