import { createPublicKey, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { SERVICES, ServiceName } from '../services';
import { RegionDto, RegionRegistryDto } from './region.dto';
import { formatValidationErrors } from '../validation-errors';

export class RegionRegistryError extends Error {
  readonly code = 'REGISTRY.INVALID';
}

/** The list of regions (cities) on the bus: data, not code, so a third region is added by editing the file. */
export class RegionRegistry {
  private readonly byName: ReadonlyMap<string, RegionDto>;
  private readonly keys = new Map<string, KeyObject>();

  constructor(readonly regions: readonly RegionDto[]) {
    this.byName = new Map(regions.map((region) => [region.name, region]));
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
    return new RegionRegistry(dto.regions);
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

  /** Parsed once per region: creating a KeyObject costs more than verifying with it. */
  publicKey(name: string): KeyObject {
    let key = this.keys.get(name);
    if (!key) {
      key = createPublicKey({ key: Buffer.from(this.get(name).publicKey, 'base64'), format: 'der', type: 'spki' });
      this.keys.set(name, key);
    }
    return key;
  }
}
