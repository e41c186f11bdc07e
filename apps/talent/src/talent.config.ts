import { IsString, MinLength } from 'class-validator';

/** The talent service's own environment variables (those every service reads are in AppConfig). */
export class TalentConfig {
  /** The programme file (tiers, hukou services, benefit catalogues), relative to the working directory. */
  @IsString()
  @MinLength(1)
  TALENT_CONFIG_FILE: string = 'config/talent.json';
}
