import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { ConfigError, validateConfig } from '@app/config';
import { POLICE_CODE } from '@app/contracts';
import { DomainError } from '@app/http';
import { PoliceConfig } from '../police.config';

export class CatalogueEntry {
  @ApiProperty()
  @Matches(POLICE_CODE)
  code!: string;

  @ApiProperty()
  @IsString()
  label!: string;
}

export class EscalationRule {
  /** The severity an unacknowledged alert is raised to. */
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(POLICE_CODE)
  raiseTo?: string;

  /** The escalated alert goes to every unit of every region, whatever they subscribed to. */
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  widenAudience?: boolean;
}

export class SeverityEntry extends CatalogueEntry {
  @ApiProperty({ description: 'Seconds a unit of another region has to acknowledge before the alert escalates' })
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  ackDeadlineSeconds!: number;

  @ApiProperty({ type: EscalationRule })
  @ValidateNested()
  @Type(() => EscalationRule)
  escalation!: EscalationRule;
}

export class PoliceCatalogueFile {
  @ApiProperty({ type: [CatalogueEntry] })
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => CatalogueEntry)
  areas!: CatalogueEntry[];

  /** Most severe first. */
  @ApiProperty({ type: [SeverityEntry] })
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => SeverityEntry)
  severities!: SeverityEntry[];

  @ApiProperty({ type: [CatalogueEntry] })
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => CatalogueEntry)
  zones!: CatalogueEntry[];
}

/**
 * Key areas, severities (with acknowledgement deadlines and escalation rules) and boundary zones: data, read once
 * at start-up from POLICE_CATALOGUE_FILE (PoliceConfig), so both cities configure them alike.
 */
export class PoliceCatalogue {
  private readonly severityByCode: Map<string, SeverityEntry>;

  constructor(
    readonly file: PoliceCatalogueFile,
    source = 'police catalogue',
  ) {
    this.severityByCode = new Map(file.severities.map((severity) => [severity.code, severity]));
    for (const severity of file.severities) {
      const target = severity.escalation.raiseTo;
      if (target !== undefined && !this.severityByCode.has(target)) {
        throw new ConfigError(`${source}: severity ${severity.code} escalates to unknown severity ${target}`);
      }
    }
  }

  /** The file POLICE_CATALOGUE_FILE names; a ConfigError names the variable, the path and each bad field. */
  static load(config: PoliceConfig): PoliceCatalogue {
    const path = resolve(config.POLICE_CATALOGUE_FILE);
    const source = `POLICE_CATALOGUE_FILE ${path}`;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new ConfigError(`${source}: ${(error as Error).message}`);
    }
    return new PoliceCatalogue(validateConfig(PoliceCatalogueFile, raw, source), source);
  }

  severity(code: string): SeverityEntry {
    const severity = this.severityByCode.get(code);
    if (!severity) throw unknown('severity', code, [...this.severityByCode.keys()]);
    return severity;
  }

  assertArea(code: string): void {
    if (!this.file.areas.some((area) => area.code === code)) {
      throw unknown(
        'area',
        code,
        this.file.areas.map((area) => area.code),
      );
    }
  }

  assertZone(code: string): void {
    if (!this.file.zones.some((zone) => zone.code === code)) {
      throw unknown(
        'zone',
        code,
        this.file.zones.map((zone) => zone.code),
      );
    }
  }

  assertSeverity(code: string): void {
    this.severity(code);
  }
}

function unknown(kind: 'area' | 'severity' | 'zone', code: string, known: string[]): DomainError {
  return new DomainError(`POLICE.UNKNOWN_${kind.toUpperCase()}`, 'invalid', `Unknown ${kind} '${code}'`, {
    details: { [kind]: code, known },
  });
}
