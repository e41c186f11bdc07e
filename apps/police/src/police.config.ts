import { IsString, MinLength } from 'class-validator';

/** The police service's own settings (the shared ones are AppConfig's), read by loadServiceConfig. */
export class PoliceConfig {
  /** The catalogue of key areas, severities and boundary zones, relative to the working directory. */
  @IsString()
  @MinLength(1)
  POLICE_CATALOGUE_FILE: string = 'config/police.json';
}
