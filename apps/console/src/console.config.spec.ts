import { JwtService } from '@nestjs/jwt';
import { ConfigError, DEV_JWT_SECRET } from '@app/config';
import { repoRoot } from '@app/embedded';
import { loadConsoleConfig } from './console.config';

const root = repoRoot();

describe(loadConsoleConfig.name, () => {
  it('watches every service of every region in the registry on its documented port', () => {
    const config = loadConsoleConfig({}, root);
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.kafkaBrokers).toBeUndefined();
    expect(config.targets).toHaveLength(8);
    expect(config.targets).toContainEqual({ region: 'laiyang', service: 'talent', url: 'http://127.0.0.1:3203' });
  });

  it('takes a third region from the registry alone, and service addresses from a template', () => {
    const config = loadConsoleConfig(
      { REGIONS_FILE: 'config/regions.three.json', SERVICE_URL_TEMPLATE: 'http://{region}-{service}:{port}' },
      root,
    );
    expect(config.targets).toHaveLength(12);
    expect(config.targets).toContainEqual({ region: 'jimo', service: 'police', url: 'http://jimo-police:3304' });
  });

  it('signs an operator token per region with the shared secret outside production', async () => {
    const token = loadConsoleConfig({}, root).tokenFor('laixi');
    await expect(new JwtService().verifyAsync(token, { secret: DEV_JWT_SECRET })).resolves.toMatchObject({
      role: 'operator',
      region: 'laixi',
    });
  });

  it('uses the tokens it is given, and refuses to start in production without them', () => {
    const tokens = JSON.stringify({ laixi: 'a.b.c', laiyang: 'd.e.f' });
    expect(loadConsoleConfig({ NODE_ENV: 'production', OPERATOR_TOKENS: tokens }, root).tokenFor('laiyang')).toBe(
      'd.e.f',
    );
    expect(() => loadConsoleConfig({ NODE_ENV: 'production' }, root)).toThrow(/^OPERATOR_TOKENS is required/);
    expect(() => loadConsoleConfig({ OPERATOR_TOKENS: '{"laixi":"a.b.c"}' }, root)).toThrow(
      "OPERATOR_TOKENS has no token for region 'laiyang'",
    );
  });

  it('names the bad variable', () => {
    expect(() => loadConsoleConfig({ PORT: 'eighty' }, root)).toThrow(ConfigError);
    expect(() => loadConsoleConfig({ PORT: 'eighty' }, root)).toThrow(/^PORT must be a whole number/);
    expect(() => loadConsoleConfig({ KAFKA_BROKERS: 'nowhere' }, root)).toThrow(/^KAFKA_BROKERS/);
    expect(() => loadConsoleConfig({ REGIONS_FILE: 'missing.json' }, root)).toThrow(/^REGIONS_FILE/);
  });
});
