import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsUUID,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  Validate,
  ValidateNested,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { IsRegionName } from '../health/health-fields';
import { SignedCheckpointV1 } from './checkpoint.v1';
import { IsCreditCode } from '../credit-code';
import {
  DATE_ONLY_PATTERN,
  FEN_MESSAGE,
  FEN_PATTERN,
  LEDGER_INDICATORS,
  LOG_SIZE_PATTERN,
  LedgerIndicator,
  PERIOD_MESSAGE,
  PERIOD_PATTERN,
  SHA256_HEX_PATTERN,
} from './ledger-fields';

/** Each city's part of the agreed ratio, as whole numbers: 60:40 by default, 55:45, 2:1, … */
export class ProjectSharesV1 {
  @ApiProperty({ example: 60 })
  @IsInt()
  @Min(0)
  @Max(10_000)
  flyOut!: number;

  @ApiProperty({ example: 40 })
  @IsInt()
  @Min(0)
  @Max(10_000)
  flyIn!: number;
}

/** A co-built project as registered: it takes effect when the other city confirms it. */
export class LedgerProjectV1 {
  @IsUUID()
  projectId!: string;

  @ApiProperty({ example: 'Liquid-cooling equipment plant, coolant line' })
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: '91350100M000100Y43', description: 'The enterprise (unified social credit code, GB 32100)' })
  @IsString()
  @IsCreditCode()
  creditCode!: string;

  @ApiProperty({ example: 'laixi', description: 'The city the project flies out of' })
  @IsRegionName()
  flyOut!: string;

  @ApiProperty({ example: 'laiyang', description: 'The city the project flies into (hosts it)' })
  @IsRegionName()
  flyIn!: string;

  @ValidateNested()
  @Type(() => ProjectSharesV1)
  shares!: ProjectSharesV1;

  @ApiProperty({ enum: LEDGER_INDICATORS, isArray: true, example: ['gdp-value-added', 'tax-vat'] })
  @ArrayMinSize(1)
  @ArrayMaxSize(LEDGER_INDICATORS.length)
  @ArrayUnique()
  @IsIn(LEDGER_INDICATORS, { each: true })
  indicators!: LedgerIndicator[];

  @ApiProperty({ example: '2026-01-01' })
  @Matches(DATE_ONLY_PATTERN, { message: 'validFrom must be a date (YYYY-MM-DD)' })
  validFrom!: string;

  @ApiProperty({ example: '2030-12-31' })
  @Matches(DATE_ONLY_PATTERN, { message: 'validUntil must be a date (YYYY-MM-DD)' })
  validUntil!: string;

  @ApiProperty({ description: 'SHA-256 of the signed agreement document, 64 lower-case hex digits' })
  @Matches(SHA256_HEX_PATTERN, { message: 'agreementSha256 must be 64 lower-case hex digits' })
  agreementSha256!: string;
}

/** The other city's sign-off of a registered project, naming the agreement it signed off. */
export class ProjectConfirmationV1 {
  @IsUUID()
  projectId!: string;

  @Matches(SHA256_HEX_PATTERN, { message: 'agreementSha256 must be 64 lower-case hex digits' })
  agreementSha256!: string;
}

export class IndicatorAmountV1 {
  @ApiProperty({ enum: LEDGER_INDICATORS })
  @IsIn(LEDGER_INDICATORS)
  indicator!: LedgerIndicator;

  @ApiProperty({ example: '123456789', description: 'Fen, a whole number as text' })
  @Matches(FEN_PATTERN, { message: FEN_MESSAGE })
  amountFen!: string;
}

/** One city's share of one indicator. */
export class IndicatorShareV1 extends IndicatorAmountV1 {
  @IsRegionName()
  region!: string;
}

/** The host city's figures of one project and period; a correction names the version it corrects. */
export class LedgerDeclarationV1 {
  @IsUUID()
  declarationId!: string;

  @IsUUID()
  projectId!: string;

  @ApiProperty({ example: '2026-Q3' })
  @Matches(PERIOD_PATTERN, { message: PERIOD_MESSAGE })
  period!: string;

  @IsInt()
  @Min(1)
  @Max(1000)
  version!: number;

  @ApiPropertyOptional({ description: 'The declaration this one corrects (the period’s latest)' })
  @IsOptional()
  @IsUUID()
  corrects?: string;

  @ApiProperty({ type: [IndicatorAmountV1] })
  @ArrayMinSize(1)
  @ArrayMaxSize(LEDGER_INDICATORS.length)
  @ValidateNested({ each: true })
  @Type(() => IndicatorAmountV1)
  amounts!: IndicatorAmountV1[];

  /** The split as the declaring city computed it. */
  @ArrayMaxSize(LEDGER_INDICATORS.length * 2)
  @ValidateNested({ each: true })
  @Type(() => IndicatorShareV1)
  split!: IndicatorShareV1[];
}

/** The other city's answer to a declaration: its own split when it confirms, its reason when it disputes. */
export class DeclarationAnswerV1 {
  @IsUUID()
  declarationId!: string;

  @IsUUID()
  projectId!: string;

  @Matches(PERIOD_PATTERN, { message: PERIOD_MESSAGE })
  period!: string;

  @IsInt()
  @Min(1)
  @Max(1000)
  version!: number;

  @IsOptional()
  @ArrayMaxSize(LEDGER_INDICATORS.length * 2)
  @ValidateNested({ each: true })
  @Type(() => IndicatorShareV1)
  split?: IndicatorShareV1[];

  @IsOptional()
  @MinLength(1)
  @MaxLength(1000)
  reason?: string;
}

/** A period settled: both cities confirmed its last version. */
export class PeriodSettlementV1 {
  @IsUUID()
  projectId!: string;

  @Matches(PERIOD_PATTERN, { message: PERIOD_MESSAGE })
  period!: string;

  @IsUUID()
  declarationId!: string;

  @IsInt()
  @Min(1)
  @Max(1000)
  version!: number;
}

/** Each kind of entry and the one body it carries. */
export const LEDGER_ENTRY_BODIES = {
  'project.registered': 'project',
  'project.confirmed': 'confirmation',
  'declaration.declared': 'declaration',
  'declaration.confirmed': 'answer',
  'declaration.disputed': 'answer',
  'period.settled': 'settlement',
} as const;
export type LedgerEntryKind = keyof typeof LEDGER_ENTRY_BODIES;
export const LEDGER_ENTRY_KINDS = Object.keys(LEDGER_ENTRY_BODIES) as LedgerEntryKind[];
const BODIES = [...new Set(Object.values(LEDGER_ENTRY_BODIES))];

@ValidatorConstraint({ name: 'entryBody' })
class EntryBodyMatchesKind implements ValidatorConstraintInterface {
  validate(kind: unknown, args: ValidationArguments): boolean {
    const entry = args.object as Record<string, unknown>;
    const body = LEDGER_ENTRY_BODIES[kind as LedgerEntryKind] as string | undefined;
    return body !== undefined && BODIES.every((name) => (name === body) === (entry[name] !== undefined));
  }

  defaultMessage(args: ValidationArguments): string {
    const body = LEDGER_ENTRY_BODIES[args.value as LedgerEntryKind] as string | undefined;
    return `an entry of kind ${String(args.value)} carries ${body ?? 'no known body'} and no other body`;
  }
}

/**
 * One entry of a city's ledger log: what the city did (registered, confirmed, declared, disputed, settled), when. Its
 * leaf in the Merkle tree is SHA-256(0x00 ‖ the entry's canonical JSON: keys sorted, no spaces, RFC 8785).
 */
export class LedgerEntryV1 {
  @IsIn(LEDGER_ENTRY_KINDS)
  @Validate(EntryBodyMatchesKind)
  kind!: LedgerEntryKind;

  @IsISO8601({ strict: true })
  at!: string;

  /** The person who acted, as the audit log names them (never a resident ID). */
  @MinLength(1)
  @MaxLength(200)
  actor!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => LedgerProjectV1)
  project?: LedgerProjectV1;

  @IsOptional()
  @ValidateNested()
  @Type(() => ProjectConfirmationV1)
  confirmation?: ProjectConfirmationV1;

  @IsOptional()
  @ValidateNested()
  @Type(() => LedgerDeclarationV1)
  declaration?: LedgerDeclarationV1;

  @IsOptional()
  @ValidateNested()
  @Type(() => DeclarationAnswerV1)
  answer?: DeclarationAnswerV1;

  @IsOptional()
  @ValidateNested()
  @Type(() => PeriodSettlementV1)
  settlement?: PeriodSettlementV1;
}

export const LEDGER_ENTRY_APPENDED_V1 = 'cn.shuanglai.ledger.entry.appended.v1';

/**
 * An entry appended to the publishing city's ledger log at `index` (0-based), with the head the city signed over
 * the log that ends with it: the peer appends the entry to its copy and checks that its copy has that root.
 */
export class LedgerEntryAppendedV1 {
  @Matches(LOG_SIZE_PATTERN, { message: 'index must be a whole number' })
  index!: string;

  @ValidateNested()
  @Type(() => LedgerEntryV1)
  entry!: LedgerEntryV1;

  @ValidateNested()
  @Type(() => SignedCheckpointV1)
  checkpoint!: SignedCheckpointV1;
}
