import { AclEntry, AclOperationTypes as OP, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import { SERVICE_NAMES, consumedTopics, deadLetterTopic, directedTopic, domainTopic } from '@app/contracts';
import { cityAcls, javaScramProperties, mirroredTopics, ownTopics } from './kafka-security';

const DOMAINS = ['health', 'lab', 'talent', 'police'] as const;
const REGIONS = ['laixi', 'laiyang', 'jimo'];
const acls = cityAcls({
  city: 'laixi',
  regions: REGIONS,
  domains: DOMAINS,
  consumed: SERVICE_NAMES.flatMap((service) => consumedTopics(service, 'laixi', REGIONS)),
  consoleGroup: 'console',
});

/** The topic names (or prefixes, with a trailing '*') on which `principal` holds `operation`. */
function topics(principal: string, operation: OP): string[] {
  return acls
    .filter((acl: AclEntry) => acl.principal === `User:${principal}` && acl.resourceType === AclResourceTypes.TOPIC)
    .filter((acl) => acl.operation === operation || acl.operation === OP.ALL)
    .map((acl) =>
      acl.resourcePatternType === ResourcePatternTypes.PREFIXED ? `${acl.resourceName}*` : acl.resourceName,
    )
    .sort();
}

describe(cityAcls.name, () => {
  it("lets the city's services write only their own prefix, and read only what they consume", () => {
    expect(topics('laixi.services', OP.WRITE)).toEqual(['laixi.*']);
    const read = topics('laixi.services', OP.READ);
    expect(read).toEqual(expect.arrayContaining(['laiyang.health', 'laiyang.health.laixi', 'jimo.police.laixi']));
    // lab-results reads the consent events of its own city too
    expect(read).toContain('laixi.health');
    expect(read.filter((topic) => /\.dlq$|\.laiyang$|\.jimo$/.test(topic))).toEqual([]);
  });

  it("lets only the city's MirrorMaker write the peers' prefixes", () => {
    const writers = acls
      .filter((acl) => [OP.WRITE, OP.ALL].includes(acl.operation) && acl.resourceType === AclResourceTypes.TOPIC)
      .filter((acl) => acl.resourceName.startsWith('laiyang.') || acl.resourceName.startsWith('jimo.'))
      .map((acl) => acl.principal);
    expect([...new Set(writers)]).toEqual(['User:laixi.mm2']);
  });

  it("lets a peer's MirrorMaker read what the city publishes for everyone and for that peer, nothing else", () => {
    expect(topics('laiyang.mm2', OP.READ)).toEqual(
      DOMAINS.flatMap((domain) => [`laixi.${domain}`, `laixi.${domain}.laiyang`]).sort(),
    );
    expect(topics('laiyang.mm2', OP.WRITE)).toEqual([]);
  });
});

describe('topic names', () => {
  it('are the ones @app/contracts makes', () => {
    expect(ownTopics('laixi', ['laiyang'], ['health'])).toEqual([
      domainTopic('laixi', 'health'),
      directedTopic('laixi', 'health', 'laiyang'),
      deadLetterTopic('laixi'),
    ]);
    expect(mirroredTopics('laiyang', 'laixi', ['police'])).toEqual([
      domainTopic('laiyang', 'police'),
      directedTopic('laiyang', 'police', 'laixi'),
    ]);
  });
});

describe(javaScramProperties.name, () => {
  it('quotes the JAAS values', () => {
    expect(javaScramProperties({ username: 'laixi.mm2', password: 'a"b' })['sasl.jaas.config']).toBe(
      'org.apache.kafka.common.security.scram.ScramLoginModule required username="laixi.mm2" password="a\\"b";',
    );
  });
});
