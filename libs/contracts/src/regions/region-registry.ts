import { createPublicKey, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { SERVICES, ServiceName } from '../services';
import { RegionDto, RegionRegistryDto } from './region.dto';
import { formatValidationErrors } from '../validation-errors';
import { signingKeyId } from './key-id';

/** A public key of a region, parsed, with the window of event times it may sign. */
export interface RegionKey {
  kid: string;
  publicKey: KeyObject;
  notBefore: Date;
  /** Exclusive; null: no end yet. */
  notAfter: Date | null;
}

/** True when an event of this time may be signed with the key: notBefore <= time < notAfter. */
export function keyInForce(key: RegionKey, time: Date): boolean {
  return key.notBefore <= time && (key.notAfter === null || time < key.notAfter);
}

export class RegionRegistryError extends Error {
  readonly code = 'REGISTRY.INVALID';
}

/** The list of regions (cities) on the bus: data, not code, so a third region is added by editing the file. */
export class RegionRegistry {
  private readonly byName: ReadonlyMap<string, RegionDto>;
  /** Parsed once: creating a KeyObject costs more than verifying with it. */
  private readonly keysByRegion: ReadonlyMap<string, readonly RegionKey[]>;
  private readonly encryptionKeys: ReadonlyMap<string, KeyObject>;

  /** Throws RegionRegistryError naming the key that does not parse, does not match its kid, or has an empty window. */
  constructor(readonly regions: readonly RegionDto[]) {
    this.byName = new Map(regions.map((region) => [region.name, region]));
    const owners = new Map<string, string>();
    this.keysByRegion = new Map(
      regions.map((region, r) => [
        region.name,
        region.keys.map((dto, k) => {
          const key = parseKey(dto, `regions.${r}.keys.${k}`);
          const owner = owners.get(key.kid);
          if (owner !== undefined) {
            throw new RegionRegistryError(`regions.${r}.keys.${k}: key ${key.kid} is already a key of ${owner}`);
          }
          owners.set(key.kid, region.name);
          return key;
        }),
      ]),
    );
    this.encryptionKeys = new Map(
      regions.flatMap((region, r) =>
        region.encryptionKey ? [[region.name, parseEncryptionKey(region.encryptionKey.publicKey, r)] as const] : [],
      ),
    );
  }

  static fromFile(path: string): RegionRegistry {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new RegionRegistryError(`cannot read ${path}: ${(error as Error).message}`);
    }
    return RegionRegistry.fromJSON(raw, path);
  }

  static fromJSON(raw: unknown, origin = 'region registry'): RegionRegistry {
    const dto = plainToInstance(RegionRegistryDto, raw);
    const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) {
      throw new RegionRegistryError(`${origin} is invalid: ${formatValidationErrors(errors).join('; ')}`);
    }
    try {
      return new RegionRegistry(dto.regions);
    } catch (error) {
      if (error instanceof RegionRegistryError) throw new RegionRegistryError(`${origin} is invalid: ${error.message}`);
      throw error;
    }
  }

  get names(): string[] {
    return this.regions.map((region) => region.name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  get(name: string): RegionDto {
    const region = this.byName.get(name);
    if (!region) {
      throw new RegionRegistryError(`unknown region '${name}' (known: ${this.names.join(', ')})`);
    }
    return region;
  }

  peersOf(name: string): RegionDto[] {
    this.get(name);
    return this.regions.filter((region) => region.name !== name);
  }

  port(name: string, service: ServiceName): number {
    const region = this.get(name);
    return region.ports?.[service] ?? 3000 + region.index * 100 + SERVICES[service].portDigit;
  }

  /** The region whose area codes include the first six characters of a resident ID, if any. */
  homeOfResident(residentId: string): RegionDto | undefined {
    const area = residentId.slice(0, 6);
    return this.regions.find((region) => region.areaCodes.includes(area));
  }

  /** The keys that verify a region's events, in registry order. */
  keys(name: string): readonly RegionKey[] {
    this.get(name);
    return this.keysByRegion.get(name)!;
  }

  /** The X25519 key personal data for this region is sealed to, if the registry lists one. */
  encryptionKey(name: string): KeyObject | undefined {
    this.get(name);
    return this.encryptionKeys.get(name);
  }

  /** The region's key named `kid`, if the registry lists it. */
  key(name: string, kid: string): RegionKey | undefined {
    return this.keys(name).find((key) => key.kid === kid);
  }
}

function parseEncryptionKey(spki: string, r: number): KeyObject {
  const path = `regions.${r}.encryptionKey.publicKey`;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spki, 'base64'), format: 'der', type: 'spki' });
  } catch (error) {
    throw new RegionRegistryError(`${path}: not an SPKI public key (${(error as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'x25519') {
    throw new RegionRegistryError(`${path}: must be X25519, not ${key.asymmetricKeyType}`);
  }
  return key;
}

function parseKey(dto: RegionDto['keys'][number], path: string): RegionKey {
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: Buffer.from(dto.publicKey, 'base64'), format: 'der', type: 'spki' });
  } catch (error) {
    throw new RegionRegistryError(`${path}.publicKey: not an SPKI public key (${(error as Error).message})`);
  }
  if (publicKey.asymmetricKeyType !== 'ed25519') {
    throw new RegionRegistryError(`${path}.publicKey: must be Ed25519, not ${publicKey.asymmetricKeyType}`);
  }
  const kid = signingKeyId(publicKey);
  if (dto.kid !== kid) throw new RegionRegistryError(`${path}.kid: the key's RFC 7638 thumbprint is ${kid}`);
  const notBefore = new Date(dto.notBefore);
  const notAfter = dto.notAfter === undefined ? null : new Date(dto.notAfter);
  if (Number.isNaN(notBefore.getTime()) || (notAfter !== null && Number.isNaN(notAfter.getTime()))) {
    throw new RegionRegistryError(`${path}: notBefore and notAfter must be real instants`);
  }
  if (notAfter !== null && notAfter <= notBefore) {
    throw new RegionRegistryError(`${path}.notAfter: must be later than notBefore`);
  }
  return { kid, publicKey, notBefore, notAfter };
}
