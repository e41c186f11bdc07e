import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import { AlertStateV1 } from '@app/contracts';
import { FeedKind, FeedRepository } from '../feed/feed.repository';
import { AlertRepository } from './alert.repository';

/** The other regions' alerts: kept (highest version wins) and fed to this region's units. */
@Injectable()
export class AlertsProjectionService implements OnModuleInit {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly feed: FeedRepository,
    private readonly config: AppConfig,
    private readonly replay: ReplayService,
  ) {}

  /** The peers' alerts. The feed stays: it is what units were delivered, and a replayed version is not fed twice. */
  onModuleInit(): void {
    this.replay.registerProjection((manager) => this.alerts.deletePeers(manager, this.config.region));
  }

  /** A change published by another region: applied when newer than what is known, and fed to the units here. */
  async apply(manager: EntityManager, origin: string, kind: FeedKind, state: AlertStateV1): Promise<void> {
    // After a rebuild (POST /bus/replay) the alert is new again, but its units were delivered this version already.
    if ((await this.alerts.upsert(manager, origin, state)) && !(await this.feed.delivered(manager, state))) {
      await this.feed.append(manager, kind, origin, state);
    }
  }
}
