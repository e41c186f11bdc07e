import { JwtService } from '@nestjs/jwt';
import { ConfigError, DEV_JWT_SECRET } from '@app/config';
import { SERVICE_NAMES } from '@app/contracts';
import { repoRoot } from '@app/embedded';
import { loadConsoleConfig } from './console.config';

const root = repoRoot();

describe(loadConsoleConfig.name, () => {
  it('watches every service of every region in the registry on its documented port', () => {
    const config = loadConsoleConfig({}, root);
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.kafkaBrokers).toBeUndefined();
    expect(config.targets).toHaveLength(2 * SERVICE_NAMES.length);
    expect(config.targets).toContainEqual({ region: 'laiyang', service: 'talent', url: 'http://127.0.0.1:3203' });
  });

  it('takes a third region from the registry alone, and service addresses from a template', () => {
    const config = loadConsoleConfig(
      { REGIONS_FILE: 'config/regions.three.json', SERVICE_URL_TEMPLATE: 'http://{region}-{service}:{port}' },
      root,
    );
    expect(config.targets).toHaveLength(3 * SERVICE_NAMES.length);
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
    const production = { NODE_ENV: 'production', OPERATOR_TOKENS: tokens, AUTH_JWT_PUBLIC_KEY: 'PEM' };
    expect(loadConsoleConfig(production, root).tokenFor('laiyang')).toBe('d.e.f');
    expect(() => loadConsoleConfig({ NODE_ENV: 'production' }, root)).toThrow(/^OPERATOR_TOKENS is required/);
    expect(() => loadConsoleConfig({ OPERATOR_TOKENS: '{"laixi":"a.b.c"}' }, root)).toThrow(
      "OPERATOR_TOKENS has no token for region 'laiyang'",
    );
  });

  it("lets in operators of its own region (the registry's first by default) from its own loopback address", () => {
    const config = loadConsoleConfig({ PORT: '3300' }, root);
    expect(config.region).toBe('laixi');
    expect(config.allowedHosts).toEqual(['127.0.0.1:3300', 'localhost:3300', '[::1]:3300']);
    expect(config.allowedOrigins).toEqual(['http://127.0.0.1:3300', 'http://localhost:3300', 'http://[::1]:3300']);
    expect(config.secureCookies).toBe(false);
    expect(config.sessionTtlSeconds).toBe(8 * 60 * 60);
    expect(config.jwt).toMatchObject({ kind: 'secret', secret: DEV_JWT_SECRET, issuer: 'shuanglai-dev' });
    expect(loadConsoleConfig({ CONSOLE_HOST: '10.0.0.5' }, root).allowedHosts).toContain('10.0.0.5:3000');
    expect(loadConsoleConfig({ CONSOLE_HOST: '0.0.0.0' }, root).allowedHosts).toHaveLength(3);
  });

  it('takes its region, Hosts, Origins, session lifetime and login key from the environment', () => {
    const config = loadConsoleConfig(
      {
        CONSOLE_REGION: 'laiyang',
        CONSOLE_ALLOWED_HOSTS: 'Console.Laiyang.example, console.laiyang.example:8443',
        CONSOLE_ALLOWED_ORIGINS: 'https://console.laiyang.example,https://console.laiyang.example:8443',
        CONSOLE_SESSION_TTL_SECONDS: '900',
        AUTH_JWT_PUBLIC_KEY: 'PEM',
      },
      root,
    );
    expect(config).toMatchObject({
      region: 'laiyang',
      allowedHosts: ['console.laiyang.example', 'console.laiyang.example:8443'],
      sessionTtlSeconds: 900,
      jwt: { kind: 'public-key', publicKey: 'PEM' },
    });
    expect(config.secureCookies).toBe(true);
  });

  it("logs its feed in to a secured cluster with its own principal, validated like a service's", () => {
    expect(loadConsoleConfig({}, root).kafkaSecurity).toEqual({ ssl: false });
    const secured = {
      KAFKA_BROKERS: '127.0.0.1:9092',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'laixi.console',
      KAFKA_SASL_PASSWORD: 'p'.repeat(24),
    };
    expect(loadConsoleConfig(secured, root).kafkaSecurity).toEqual({
      ssl: false,
      sasl: { mechanism: 'scram-sha-512', username: 'laixi.console', password: 'p'.repeat(24) },
    });
    expect(() => loadConsoleConfig({ ...secured, KAFKA_SASL_MECHANISM: 'PLAIN' }, root)).toThrow(
      /^KAFKA_SASL_MECHANISM must be SCRAM-SHA-256 or SCRAM-SHA-512/,
    );
    expect(() => loadConsoleConfig({ ...secured, KAFKA_SASL_USERNAME: undefined }, root)).toThrow(
      /^KAFKA_SASL_USERNAME is required/,
    );
  });

  it('names the bad variable', () => {
    expect(() => loadConsoleConfig({ CONSOLE_REGION: 'atlantis' }, root)).toThrow(/^CONSOLE_REGION must be one of/);
    expect(() => loadConsoleConfig({ CONSOLE_ALLOWED_HOSTS: 'a.example/x' }, root)).toThrow(/^CONSOLE_ALLOWED_HOSTS/);
    expect(() => loadConsoleConfig({ CONSOLE_ALLOWED_ORIGINS: 'https://a.example/' }, root)).toThrow(
      /^CONSOLE_ALLOWED_ORIGINS: 'https:\/\/a.example\/' is not an origin/,
    );
    expect(() => loadConsoleConfig({ CONSOLE_SESSION_TTL_SECONDS: '999999' }, root)).toThrow(
      /^CONSOLE_SESSION_TTL_SECONDS must be/,
    );
    const tokens = JSON.stringify({ laixi: 'a.b.c', laiyang: 'd.e.f' });
    expect(() => loadConsoleConfig({ NODE_ENV: 'production', OPERATOR_TOKENS: tokens }, root)).toThrow(
      /^AUTH_JWT_PUBLIC_KEY \(or AUTH_JWKS_URL, AUTH_JWT_SECRET\) is required in production/,
    );
    expect(() => loadConsoleConfig({ PORT: 'eighty' }, root)).toThrow(ConfigError);
    expect(() => loadConsoleConfig({ PORT: 'eighty' }, root)).toThrow(/^PORT must be a whole number/);
    expect(() => loadConsoleConfig({ KAFKA_BROKERS: 'nowhere' }, root)).toThrow(/^KAFKA_BROKERS/);
    expect(() => loadConsoleConfig({ REGIONS_FILE: 'missing.json' }, root)).toThrow(/^REGIONS_FILE/);
  });
});
