import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { MatterDigestV1 } from '@app/contracts';
import { CatalogueRepository } from './catalogue.repository';
import { MatterCatalogue, MatterEntry } from './matter-catalogue';

export type MatterDifference = 'missing-here' | 'missing-there' | 'different';

export interface PeerCatalogueView {
  region: string;
  /** null until the peer's catalogue has arrived. */
  version: string | null;
  sameCatalogue: boolean;
  differences: { code: string; difference: MatterDifference }[];
}

export interface JointListView {
  region: string;
  version: string;
  /** True when every peer runs exactly this catalogue. */
  joint: boolean;
  peers: PeerCatalogueView[];
  /** This city's matters; `differsIn` names the peers whose entry differs or is missing. */
  matters: (MatterEntry & { differsIn: string[] })[];
}

@Injectable()
export class CatalogueQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly catalogue: MatterCatalogue,
    private readonly catalogues: CatalogueRepository,
  ) {}

  async jointList(category?: string): Promise<JointListView> {
    const rows = new Map((await this.catalogues.all(this.dataSource.manager)).map((row) => [row.origin, row]));
    const peers = this.config.peers.map((peer): PeerCatalogueView => {
      const row = rows.get(peer);
      if (!row) return { region: peer, version: null, sameCatalogue: false, differences: [] };
      const differences = compare(this.catalogue.digests, row.matters);
      return { region: peer, version: row.version, sameCatalogue: row.digest === this.catalogue.digest, differences };
    });
    const differing = new Map<string, string[]>();
    for (const peer of peers) {
      for (const { code } of peer.differences) differing.set(code, [...(differing.get(code) ?? []), peer.region]);
    }
    return {
      region: this.config.region,
      version: this.catalogue.version,
      joint: peers.every((peer) => peer.sameCatalogue),
      peers,
      matters: this.catalogue.matters
        .filter((matter) => category === undefined || matter.category === category)
        .map((matter) => ({ ...matter, differsIn: differing.get(matter.code) ?? [] })),
    };
  }
}

/** The matters that differ between this city's digests and a peer's, in code order. */
export function compare(
  here: readonly MatterDigestV1[],
  there: readonly MatterDigestV1[],
): { code: string; difference: MatterDifference }[] {
  const mine = new Map(here.map((entry) => [entry.code, entry.digest]));
  const theirs = new Map(there.map((entry) => [entry.code, entry.digest]));
  const codes = [...new Set([...mine.keys(), ...theirs.keys()])].sort();
  return codes.flatMap((code) => {
    const a = mine.get(code);
    const b = theirs.get(code);
    if (a === b) return [];
    const difference: MatterDifference =
      a === undefined ? 'missing-here' : b === undefined ? 'missing-there' : 'different';
    return [{ code, difference }];
  });
}
