import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface ChainHeadRow {
  seq: string;
  hash: string;
  at: Date;
}

export interface PeerAnchorRow {
  region: string;
  seq: string;
  hash: string;
  at: Date;
  anchored_at: Date;
  received_at: Date;
}

/** An anchor of this city's chain that a peer acknowledged, beside this chain's link at the same position. */
export interface AnchorAckRow {
  region: string;
  seq: string;
  hash: string;
  at: Date;
  acknowledged_at: Date;
  /** This chain's hash at `seq`; null when the chain no longer reaches it. */
  chain_hash: string | null;
}

/** The SQL of chain anchoring: this chain's head, the peers' anchors kept here, the peers' acknowledgements. */
@Injectable()
export class AuditAnchorRepository {
  async head(manager: EntityManager): Promise<ChainHeadRow | undefined> {
    const [row] = await manager.query<ChainHeadRow[]>(
      'select seq::text as seq, hash, at from audit_log where seq is not null order by seq desc limit 1',
    );
    return row;
  }

  async keepPeerAnchor(
    manager: EntityManager,
    anchor: { region: string; seq: string; hash: string; at: string; anchoredAt: string },
  ): Promise<void> {
    await manager.query(
      `insert into audit_peer_anchor (region, seq, hash, at, anchored_at) values ($1, $2, $3, $4, $5)
         on conflict do nothing`,
      [anchor.region, anchor.seq, anchor.hash, anchor.at, anchor.anchoredAt],
    );
  }

  /** The furthest anchor of a peer's chain held here; of two at one position, the first received. */
  async furthestPeerAnchor(manager: EntityManager, region: string): Promise<PeerAnchorRow | undefined> {
    const [row] = await manager.query<PeerAnchorRow[]>(
      `select region, seq::text as seq, hash, at, anchored_at, received_at from audit_peer_anchor
        where region = $1 order by seq desc, received_at, hash limit 1`,
      [region],
    );
    return row;
  }

  /** The furthest anchor held of each peer's chain. */
  async furthestPeerAnchors(manager: EntityManager): Promise<PeerAnchorRow[]> {
    return manager.query<PeerAnchorRow[]>(
      `select distinct on (region) region, seq::text as seq, hash, at, anchored_at, received_at
         from audit_peer_anchor order by region, seq desc, received_at, hash`,
    );
  }

  async keepAcknowledgement(
    manager: EntityManager,
    ack: { region: string; seq: string; hash: string; at: string; acknowledgedAt: string },
  ): Promise<void> {
    await manager.query(
      `insert into audit_anchor_ack (region, seq, hash, at, acknowledged_at) values ($1, $2, $3, $4, $5)
         on conflict (region, seq, hash) do update set acknowledged_at = greatest(audit_anchor_ack.acknowledged_at, excluded.acknowledged_at)`,
      [ack.region, ack.seq, ack.hash, ack.at, ack.acknowledgedAt],
    );
  }

  /** Every acknowledged anchor, with this chain's link at its position, furthest first per peer. */
  async acknowledgements(manager: EntityManager): Promise<AnchorAckRow[]> {
    return manager.query<AnchorAckRow[]>(
      `select a.region, a.seq::text as seq, a.hash, a.at, a.acknowledged_at, l.hash as chain_hash
         from audit_anchor_ack a left join audit_log l on l.seq = a.seq
        order by a.region, a.seq desc`,
    );
  }

  async reset(manager: EntityManager): Promise<void> {
    await manager.query('delete from audit_peer_anchor');
    await manager.query('delete from audit_anchor_ack');
  }
}
