import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ConfigError, loadServiceConfig, validateConfig } from '@app/config';
import { AUTHORITY_MAX_GRANTS, CODE_PATTERN } from '@app/contracts';
import { TalentConfig } from '../talent.config';

export class TierDto {
  @Matches(CODE_PATTERN)
  code!: string;

  @IsString()
  @MaxLength(200)
  name!: string;
}

export const BENEFIT_KINDS = ['shared', 'exclusive'] as const;
export type BenefitKind = (typeof BENEFIT_KINDS)[number];

export class BenefitDto {
  @Matches(CODE_PATTERN)
  code!: string;

  @IsString()
  @MaxLength(200)
  name!: string;

  /** Shared: either city may grant it, any number of times. Exclusive: paid once across all cities. */
  @IsIn(BENEFIT_KINDS)
  kind!: BenefitKind;

  @IsArray()
  @ArrayMinSize(1)
  @Matches(CODE_PATTERN, { each: true })
  eligibleTiers!: string[];

  /** The cities whose catalogue offers it; every city when absent. */
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  regions?: string[];
}

/** The programme's data: tiers, the services hukou is recognised for, and each city's benefit catalogue. */
export class TalentConfigDto {
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => TierDto)
  tiers!: TierDto[];

  @IsArray()
  @ArrayUnique()
  @Matches(CODE_PATTERN, { each: true })
  hukouServices!: string[];

  /** How long a claimant waits for the certifier's answer before it shows the claim as timed out. */
  @IsInt()
  @Min(1000)
  @Max(30 * 24 * 3600 * 1000)
  claimTimeoutMs!: number;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => BenefitDto)
  benefits!: BenefitDto[];
}

/** The talent programme as seen by one city: its own benefit catalogue, and the tiers every city shares. */
export class TalentProgramme {
  readonly tiers: ReadonlyMap<string, TierDto>;
  /** Every benefit of the programme, by code (a certifier arbitrates claims for benefits other cities offer). */
  readonly benefits: ReadonlyMap<string, BenefitDto>;
  readonly hukouServices: readonly string[];
  readonly claimTimeoutMs: number;

  constructor(
    dto: TalentConfigDto,
    readonly region: string,
  ) {
    this.tiers = new Map(dto.tiers.map((tier) => [tier.code, tier]));
    this.benefits = new Map(dto.benefits.map((benefit) => [benefit.code, benefit]));
    this.hukouServices = dto.hukouServices;
    this.claimTimeoutMs = dto.claimTimeoutMs;
  }

  /** This city's catalogue. */
  catalogue(): BenefitDto[] {
    return [...this.benefits.values()].filter((benefit) => this.offers(benefit));
  }

  offers(benefit: BenefitDto): boolean {
    return !benefit.regions || benefit.regions.includes(this.region);
  }
}

/**
 * The programme of the file named by TALENT_CONFIG_FILE (default config/talent.json, from the working directory);
 * a bad file stops the service with one line naming it.
 */
export function loadTalentConfig(
  region: string,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): TalentProgramme {
  const file = resolve(cwd, loadServiceConfig(TalentConfig, env).TALENT_CONFIG_FILE);
  const source = `TALENT_CONFIG_FILE: ${file}`;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`TALENT_CONFIG_FILE: cannot read ${file}: ${(error as Error).message}`);
  }
  const dto = validateConfig(TalentConfigDto, raw, source);
  const tiers = new Set(dto.tiers.map((tier) => tier.code));
  for (const benefit of dto.benefits) {
    const unknown = benefit.eligibleTiers.filter((tier) => !tiers.has(tier));
    if (unknown.length > 0) {
      throw new ConfigError(`${source}: benefit ${benefit.code} names unknown tiers ${unknown.join(', ')}`);
    }
  }
  // Every exclusive grant of a person travels in one hand-over of their authority: the programme bounds them.
  const exclusive = new Set(dto.benefits.filter((b) => b.kind === 'exclusive').map((b) => b.code)).size;
  if (exclusive > AUTHORITY_MAX_GRANTS) {
    throw new ConfigError(
      `${source}: ${exclusive} exclusive benefits; at most ${AUTHORITY_MAX_GRANTS} (AUTHORITY_MAX_GRANTS), so that ` +
        "a person's grants fit in one hand-over of their authority",
    );
  }
  return new TalentProgramme(dto, region);
}
