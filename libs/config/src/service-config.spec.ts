import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { ConfigError } from './app-config';
import { loadServiceConfig, validateConfig } from './service-config';

class ExampleConfig {
  @IsInt()
  @Min(1000)
  EXAMPLE_TIMEOUT_MS: number = 60_000;

  @IsOptional()
  @IsIn(['fast', 'safe'])
  EXAMPLE_MODE?: 'fast' | 'safe';
}

class Limit {
  @IsInt()
  @Max(10)
  max!: number;
}

class ExampleFile {
  @IsString()
  name!: string;

  @ValidateNested()
  @Type(() => Limit)
  limit!: Limit;
}

describe(loadServiceConfig.name, () => {
  it('takes the defaults when the variables are unset or empty', () => {
    expect(loadServiceConfig(ExampleConfig, { EXAMPLE_TIMEOUT_MS: '' })).toEqual({ EXAMPLE_TIMEOUT_MS: 60_000 });
  });

  it("reads only the class's variables, numbers from their text", () => {
    const config = loadServiceConfig(ExampleConfig, { EXAMPLE_TIMEOUT_MS: '5000', EXAMPLE_MODE: 'safe', PATH: '/bin' });
    expect(config).toBeInstanceOf(ExampleConfig);
    expect({ ...config }).toEqual({ EXAMPLE_TIMEOUT_MS: 5000, EXAMPLE_MODE: 'safe' });
  });

  it('names every invalid variable in one ConfigError', () => {
    const load = () => loadServiceConfig(ExampleConfig, { EXAMPLE_TIMEOUT_MS: 'soon', EXAMPLE_MODE: 'reckless' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/EXAMPLE_TIMEOUT_MS.*; EXAMPLE_MODE must be one of/);
  });
});

describe(validateConfig.name, () => {
  it('returns the document as an instance of its class', () => {
    const file = validateConfig(ExampleFile, { name: 'x', limit: { max: 3 } }, 'EXAMPLE_FILE: x.json');
    expect(file.limit).toBeInstanceOf(Limit);
  });

  it('names the source and each invalid field', () => {
    expect(() => validateConfig(ExampleFile, { name: 1, limit: { max: 11 } }, 'EXAMPLE_FILE: x.json')).toThrow(
      'EXAMPLE_FILE: x.json: name: name must be a string; EXAMPLE_FILE: x.json: limit.max: max must not be greater than 10',
    );
    expect(() => validateConfig(ExampleFile, [], 'EXAMPLE_FILE: x.json')).toThrow(
      'EXAMPLE_FILE: x.json: must be a JSON object',
    );
  });
});
