import { mirrorMakerProperties, mirroredTopicsPattern } from './mirror-maker';

const DOMAINS = ['health', 'lab', 'talent', 'police'];

describe(mirroredTopicsPattern.name, () => {
  // MirrorMaker's topic filter matches the whole name (Pattern.matcher(topic).matches()).
  const mirrored = (topic: string) =>
    new RegExp(`^(?:${mirroredTopicsPattern('laixi', 'laiyang', DOMAINS)})$`).test(topic);

  it("takes the source's broadcast topics and those it addresses to the target", () => {
    expect(['laixi.health', 'laixi.police', 'laixi.health.laiyang', 'laixi.lab.laiyang'].filter(mirrored)).toHaveLength(
      4,
    );
  });

  it("leaves the source's dead letters, what it addresses to others, and every other region's topics", () => {
    const left = [
      'laixi.dlq',
      'laixi.health.jimo',
      'laiyang.health',
      'jimo.health.laiyang',
      'laixiXhealth',
      'laixi.other',
    ];
    expect(left.filter(mirrored)).toEqual([]);
  });

  it('escapes region names that hold regex characters', () => {
    expect(mirroredTopicsPattern('laixi-3f', 'lai.yang', ['health'])).toBe('laixi-3f\\.(health)(\\.lai\\.yang)?');
  });
});

describe(mirrorMakerProperties.name, () => {
  const properties = mirrorMakerProperties({
    target: { name: 'laiyang', brokers: 'b:9092' },
    sources: [{ name: 'laixi', brokers: 'a:9092' }],
    domains: ['health'],
  });

  it('runs only the flow into its own city, with names kept (identity policy)', () => {
    expect(properties).toContain('laixi->laiyang.enabled = true\n');
    expect(properties).toContain('laiyang->laixi.enabled = false\n');
    expect(properties).toContain(
      'replication.policy.class = org.apache.kafka.connect.mirror.IdentityReplicationPolicy\n',
    );
  });

  it("doubles the regex's backslashes, which a .properties value would otherwise swallow", () => {
    expect(properties).toContain('laixi->laiyang.topics = laixi\\\\.(health)(\\\\.laiyang)?\n');
  });

  it('logs in to each secured cluster as the principal given for it', () => {
    const secured = mirrorMakerProperties({
      target: { name: 'laiyang', brokers: 'b:9092', credentials: { username: 'laiyang.mm2', password: 'p1' } },
      sources: [{ name: 'laixi', brokers: 'a:9092', credentials: { username: 'laiyang.mm2', password: 'p2' } }],
      domains: ['health'],
    });
    expect(secured).toContain('laixi.security.protocol = SASL_PLAINTEXT\n');
    expect(secured).toContain('laiyang.sasl.mechanism = SCRAM-SHA-512\n');
    expect(secured).toContain(
      'laixi.sasl.jaas.config = org.apache.kafka.common.security.scram.ScramLoginModule required username="laiyang.mm2" password="p2";\n',
    );
    expect(properties).not.toContain('security.protocol');
  });
});
