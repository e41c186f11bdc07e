import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ConfigError, validateConfig } from '@app/config';
import { CATALOGUE_VERSION_PATTERN, MATTER_CODE_PATTERN, MAX_MATTERS, MatterDigestV1 } from '@app/contracts';
import { DomainError } from '@app/http';
import { AffairsConfig } from '../affairs.config';

export const MATTER_CATEGORIES = ['enterprise', 'personal'] as const;
/**
 * What decides the handling city: the area code of the applicant's resident ID (household registration), the
 * administrative division in the enterprise's credit code (its registered address), or the city the applicant
 * declares (where the property, the insurance or the residence is).
 */
export const HANDLING_RULES = ['resident-area', 'enterprise-area', 'declared-location'] as const;
/** 通办地收件、归属地受理、归属地审批, or 通办地收件、通办地受理、通办地审批 (under authorisation). */
export const ROUTINGS = ['owner-decides', 'filing-city-decides'] as const;
export const RESULT_TYPES = ['licence', 'certificate', 'decision', 'none'] as const;
export const MATERIAL_FORMATS = ['pdf', 'ofd', 'jpg', 'png', 'docx', 'xlsx', 'dwg'] as const;
/** The largest single material; an application's materials together stay under MAX_APPLICATION_BYTES. */
export const MAX_MATERIAL_BYTES = 20 * 1024 * 1024;

export type HandlingRule = (typeof HANDLING_RULES)[number];
export type ResultType = (typeof RESULT_TYPES)[number];

export class BilingualName {
  @ApiProperty({ example: '食品经营许可' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  zh!: string;

  @ApiProperty({ example: 'Food business licence' })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  en!: string;
}

export class MaterialEntry {
  @ApiProperty({ example: 'business-licence' })
  @Matches(/^[a-z][a-z0-9-]{1,39}$/)
  code!: string;

  @ApiProperty({ type: BilingualName })
  @ValidateNested()
  @Type(() => BilingualName)
  name!: BilingualName;

  @ApiProperty()
  @IsBoolean()
  mandatory!: boolean;

  @ApiProperty({ enum: MATERIAL_FORMATS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(MATERIAL_FORMATS, { each: true })
  formats!: string[];

  @ApiProperty({ example: 5_242_880 })
  @IsInt()
  @Min(1)
  @Max(MAX_MATERIAL_BYTES)
  maxBytes!: number;
}

export class TimeLimits {
  @ApiProperty({ description: 'The time limit the law sets, in working days' })
  @IsInt()
  @Min(1)
  @Max(365)
  statutoryDays!: number;

  @ApiProperty({ description: 'The shorter limit the cities promise (承诺时限), in working days' })
  @IsInt()
  @Min(1)
  @Max(365)
  promisedDays!: number;
}

export class MatterEntry {
  @ApiProperty({ example: 'ENT-FOOD-BIZ' })
  @Matches(MATTER_CODE_PATTERN)
  code!: string;

  @ApiProperty({ enum: MATTER_CATEGORIES })
  @IsIn(MATTER_CATEGORIES)
  category!: (typeof MATTER_CATEGORIES)[number];

  @ApiProperty({ type: BilingualName })
  @ValidateNested()
  @Type(() => BilingualName)
  name!: BilingualName;

  @ApiProperty({ type: BilingualName, description: 'The competent department (in the handling city)' })
  @ValidateNested()
  @Type(() => BilingualName)
  department!: BilingualName;

  @ApiProperty({ enum: HANDLING_RULES })
  @IsIn(HANDLING_RULES)
  handlingRule!: HandlingRule;

  @ApiProperty({ enum: ROUTINGS })
  @IsIn(ROUTINGS)
  routing!: (typeof ROUTINGS)[number];

  @ApiProperty({
    description: "'all', or the regions whose joint window may accept the matter",
    oneOf: [
      { type: 'string', enum: ['all'] },
      { type: 'array', items: { type: 'string' } },
    ],
  })
  @IsOptional()
  windows!: 'all' | string[];

  @ApiProperty({ type: [MaterialEntry] })
  @IsArray()
  @ArrayMaxSize(40)
  @ValidateNested({ each: true })
  @Type(() => MaterialEntry)
  @ArrayUnique((material: MaterialEntry) => material.code, { message: 'material codes must be unique' })
  materials!: MaterialEntry[];

  @ApiProperty({ type: TimeLimits })
  @ValidateNested()
  @Type(() => TimeLimits)
  timeLimits!: TimeLimits;

  @ApiProperty({ description: 'Fee in fen (0.01 yuan); 0: free of charge' })
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  feeFen!: number;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  legalBasis!: string;

  @ApiProperty({ enum: RESULT_TYPES })
  @IsIn(RESULT_TYPES)
  resultType!: ResultType;
}

/** The file's frame; the matters are validated one by one, so that an error names the matter. */
class MatterCatalogueFrame {
  @Matches(CATALOGUE_VERSION_PATTERN)
  version!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  effectiveFrom?: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_MATTERS)
  matters!: unknown[];
}

/**
 * The catalogue of matters this city handles across the line: data, read and validated once at start-up from
 * AFFAIRS_MATTERS_FILE, and published to the peers so that both cities can tell whether they run the same version.
 */
export class MatterCatalogue {
  private readonly byCode: ReadonlyMap<string, MatterEntry>;
  readonly digests: MatterDigestV1[];
  readonly digest: string;

  constructor(
    readonly version: string,
    readonly matters: readonly MatterEntry[],
  ) {
    this.byCode = new Map(matters.map((matter) => [matter.code, matter]));
    this.digests = [...matters]
      .sort((a, b) => (a.code < b.code ? -1 : 1))
      .map((matter) => ({ code: matter.code, digest: sha256(canonicalJson(matter)) }));
    this.digest = sha256(this.digests.map((entry) => `${entry.code}:${entry.digest}`).join('\n'));
  }

  /** The file AFFAIRS_MATTERS_FILE names; a ConfigError names the variable, the path, the matter and its bad field. */
  static load(config: AffairsConfig, regions?: readonly string[]): MatterCatalogue {
    const path = resolve(config.AFFAIRS_MATTERS_FILE);
    const source = `AFFAIRS_MATTERS_FILE ${path}`;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new ConfigError(`${source}: ${(error as Error).message}`);
    }
    return MatterCatalogue.fromJSON(raw, source, regions);
  }

  static fromJSON(raw: unknown, source = 'matter catalogue', regions?: readonly string[]): MatterCatalogue {
    const frame = validateConfig(MatterCatalogueFrame, raw, source);
    const seen = new Set<string>();
    const matters = frame.matters.map((value, i) => {
      const code = typeof value === 'object' && value !== null ? (value as { code?: unknown }).code : undefined;
      const where = `${source}: matters.${i}${typeof code === 'string' ? ` (${code})` : ''}`;
      const matter = validateConfig(MatterEntry, value, where);
      if (seen.has(matter.code)) throw new ConfigError(`${where}: code ${matter.code} is listed twice`);
      seen.add(matter.code);
      if (matter.timeLimits.promisedDays > matter.timeLimits.statutoryDays) {
        throw new ConfigError(`${where}: timeLimits.promisedDays must not exceed timeLimits.statutoryDays`);
      }
      const windows = matter.windows as unknown;
      const list = Array.isArray(windows) && windows.every((name) => typeof name === 'string');
      if (windows !== 'all' && !(list && windows.length > 0)) {
        throw new ConfigError(`${where}: windows must be 'all' or a non-empty list of region names`);
      }
      const unknownRegion = list && regions ? windows.find((name) => !regions.includes(name)) : undefined;
      if (unknownRegion !== undefined) {
        throw new ConfigError(
          `${where}: windows names ${String(unknownRegion)}, which is not a region of the registry`,
        );
      }
      return matter;
    });
    return new MatterCatalogue(frame.version, matters);
  }

  find(code: string): MatterEntry | undefined {
    return this.byCode.get(code);
  }

  /** The matter, or a 404 naming the code. */
  get(code: string): MatterEntry {
    const matter = this.byCode.get(code);
    if (!matter) {
      throw new DomainError('AFFAIRS.UNKNOWN_MATTER', 'not-found', `No matter ${code} in catalogue ${this.version}`);
    }
    return matter;
  }

  /** Whether `region`'s joint window may accept the matter. */
  acceptsAt(matter: MatterEntry, region: string): boolean {
    return matter.windows === 'all' || matter.windows.includes(region);
  }
}

/** JSON with every object's keys sorted, so that equal entries have equal digests whatever the file's order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('base64url');
}
