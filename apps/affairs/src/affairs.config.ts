import { IsString, MinLength } from 'class-validator';

/** The affairs service's own settings (the shared ones are AppConfig's), read by loadServiceConfig. */
export class AffairsConfig {
  /** The matter catalogue, relative to the working directory. */
  @IsString()
  @MinLength(1)
  AFFAIRS_MATTERS_FILE: string = 'config/matters.json';
}
