import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReplayService } from '@app/bus';
import { LabRecognitionDecidedV1 } from '@app/contracts';
import { LabMetrics } from '../lab-results.metrics';
import { RecognitionRepository } from './recognition.repository';

/** The decisions partners made on results issued here, as their events report them. */
@Injectable()
export class RecognitionProjectionService implements OnModuleInit {
  constructor(
    private readonly metrics: LabMetrics,
    private readonly replay: ReplayService,
    private readonly decisions: RecognitionRepository,
  ) {}

  /** A rebuild empties the decisions peers reported on this city's results; decisions made here stay. */
  onModuleInit(): void {
    this.replay.registerProjection((manager) => this.decisions.deleteReceived(manager));
  }

  /** Records a partner's decision once, however often it is delivered. */
  async store(manager: EntityManager, partner: string, decision: LabRecognitionDecidedV1): Promise<void> {
    if (await this.decisions.insert(manager, 'received', partner, decision)) {
      this.metrics.decisions.inc({ direction: 'received', outcome: decision.outcome });
    }
  }
}
