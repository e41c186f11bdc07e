import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusPublisher, ReplayService } from '@app/bus';
import { AppConfig } from '@app/config';
import {
  AUDIT_ANCHORED_V1,
  AUDIT_ANCHOR_ACKNOWLEDGED_V1,
  AuditAnchorAcknowledgedV1,
  AuditAnchoredV1,
} from '@app/contracts';
import { PeriodicTask } from '@app/runtime';
import { AuditConfig } from '../audit.config';
import { ChainVerdict } from '../audit-chain';
import { AuditService } from '../audit.service';
import { AnchorAckRow, AuditAnchorRepository } from './audit-anchor.repository';

/** How this chain stands against what one peer city says it holds of it. */
export interface PeerAnchorCheck {
  region: string;
  /** `none`: the peer has acknowledged no anchor yet (or its acknowledgements were removed here). */
  status: 'matches' | 'shorter' | 'differs' | 'none';
  /** The anchor checked: the furthest acknowledged, or the first that this chain contradicts. */
  seq?: string;
  hash?: string;
  at?: string;
  acknowledgedAt?: string;
  detail?: string;
}

export type AuditVerdict = ChainVerdict & { anchors: PeerAnchorCheck[] };

/**
 * Anchors each city's audit chain outside its node. Every instance periodically publishes its chain's head; the
 * same service of each peer city keeps the anchors and answers, to this city alone, with the furthest anchor it
 * holds. This city keeps those signed answers, and `verify` checks the chain against every one: a chain whose tail
 * was removed is shorter than an acknowledged anchor, and one rewritten has another hash at an anchored position.
 * If the acknowledgements here are removed as well, the peer's next answer (to the next anchor) names its furthest
 * anchor again.
 */
@Injectable()
export class AuditAnchorService implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AuditAnchorService.name);
  private readonly task: PeriodicTask;
  private readonly subject: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    auditConfig: AuditConfig,
    private readonly audit: AuditService,
    private readonly publisher: BusPublisher,
    private readonly repository: AuditAnchorRepository,
    private readonly replay: ReplayService,
  ) {
    this.subject = `audit-anchor/${config.service}`;
    this.task = new PeriodicTask({
      name: 'audit anchor',
      intervalMs: auditConfig.AUDIT_ANCHOR_INTERVAL_MS,
      logger: this.logger,
      run: () => this.anchor(),
    });
  }

  onModuleInit(): void {
    this.replay.registerProjection((manager) => this.repository.reset(manager));
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** Seals what is pending, then publishes the chain's head to the peers; nothing while the chain is empty. */
  async anchor(): Promise<AuditAnchoredV1 | undefined> {
    await this.audit.sealPending();
    return this.dataSource.transaction(async (manager) => {
      const head = await this.repository.head(manager);
      if (!head) return undefined;
      const anchor: AuditAnchoredV1 = {
        service: this.config.service,
        seq: head.seq,
        hash: head.hash,
        at: head.at.toISOString(),
      };
      await this.publisher.publish(manager, AUDIT_ANCHORED_V1, this.subject, anchor);
      return anchor;
    });
  }

  /** A peer's anchor: kept, and answered (in the same transaction) with the furthest anchor held of its chain. */
  async keepPeerAnchor(
    manager: EntityManager,
    origin: string,
    anchor: AuditAnchoredV1,
    event: { id: string; anchoredAt: string },
  ): Promise<void> {
    // Services that read another domain hear its anchors too; only the same service of another city keeps them.
    if (anchor.service !== this.config.service || origin === this.config.region) return;
    await this.repository.keepPeerAnchor(manager, { region: origin, ...anchor, anchoredAt: event.anchoredAt });
    const furthest = (await this.repository.furthestPeerAnchor(manager, origin))!;
    if (furthest.seq !== anchor.seq || furthest.hash !== anchor.hash) {
      this.logger.warn(
        `${origin} anchored its ${anchor.service} audit chain at seq ${anchor.seq}, ` +
          `${BigInt(anchor.seq) < BigInt(furthest.seq) ? 'behind' : 'in conflict with'} the anchor held at seq ${furthest.seq}`,
      );
    }
    const ack: AuditAnchorAcknowledgedV1 = {
      service: anchor.service,
      seq: furthest.seq,
      hash: furthest.hash,
      at: furthest.at.toISOString(),
    };
    await this.publisher.publish(manager, AUDIT_ANCHOR_ACKNOWLEDGED_V1, this.subject, ack, {
      target: origin,
      causationId: event.id,
    });
  }

  /** A peer's acknowledgement of an anchor of this city's chain. */
  async keepAcknowledgement(
    manager: EntityManager,
    origin: string,
    ack: AuditAnchorAcknowledgedV1,
    acknowledgedAt: string,
  ): Promise<void> {
    if (ack.service !== this.config.service || origin === this.config.region) return;
    await this.repository.keepAcknowledgement(manager, { region: origin, ...ack, acknowledgedAt });
  }

  /** The chain verified on its own (AuditService.verify), then against every anchor the peers acknowledged. */
  async verify(): Promise<AuditVerdict> {
    const chain = await this.audit.verify();
    const [head, acks] = await Promise.all([
      this.repository.head(this.dataSource.manager),
      this.repository.acknowledgements(this.dataSource.manager),
    ]);
    const length = head?.seq ?? '0';
    const peers = this.config.registry.names.filter((name) => name !== this.config.region);
    const anchors = peers.map((region) =>
      check(
        region,
        length,
        acks.filter((ack) => ack.region === region),
      ),
    );
    const failed = anchors.find((anchor) => anchor.status === 'shorter' || anchor.status === 'differs');
    if (!chain.valid || !failed) return { ...chain, anchors };
    return { valid: false, entries: chain.entries, brokenAt: `seq ${failed.seq}`, reason: failed.detail!, anchors };
  }

  /** The furthest anchor of each peer's chain kept here. */
  async heldForPeers(): Promise<{ region: string; seq: string; hash: string; at: string; receivedAt: string }[]> {
    const rows = await this.repository.furthestPeerAnchors(this.dataSource.manager);
    return rows.map((row) => ({
      region: row.region,
      seq: row.seq,
      hash: row.hash,
      at: row.at.toISOString(),
      receivedAt: row.received_at.toISOString(),
    }));
  }
}

/** `acks`: one peer's acknowledgements, furthest first. */
function check(region: string, length: string, acks: AnchorAckRow[]): PeerAnchorCheck {
  if (acks.length === 0) return { region, status: 'none' };
  const describe = (ack: AnchorAckRow) => ({
    seq: ack.seq,
    hash: ack.hash,
    at: ack.at.toISOString(),
    acknowledgedAt: ack.acknowledged_at.toISOString(),
  });
  const beyond = acks.find((ack) => BigInt(ack.seq) > BigInt(length));
  if (beyond) {
    return {
      region,
      status: 'shorter',
      ...describe(beyond),
      detail: `the chain ends at seq ${length}, shorter than what ${region} anchored at seq ${beyond.seq}`,
    };
  }
  const differing = acks.find((ack) => ack.chain_hash !== ack.hash);
  if (differing) {
    return {
      region,
      status: 'differs',
      ...describe(differing),
      detail: `the chain differs from what ${region} anchored at seq ${differing.seq}`,
    };
  }
  return { region, status: 'matches', ...describe(acks[0]) };
}
