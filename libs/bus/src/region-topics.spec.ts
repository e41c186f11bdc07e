import { regionTopics } from './region-topics';

describe(regionTopics.name, () => {
  it("names every domain's broadcast topic, one directed to each peer, and the dead letters", () => {
    const topics = regionTopics('laixi', ['laixi', 'laiyang']);
    expect(topics).toEqual(
      expect.arrayContaining(['laixi.talent', 'laixi.talent.laiyang', 'laixi.police.laiyang', 'laixi.dlq']),
    );
    expect(topics).not.toContain('laixi.talent.laixi');
  });

  it('addresses to the region itself the domains another of its services reads (lab-results reads health)', () => {
    expect(regionTopics('laixi', ['laixi', 'laiyang'])).toContain('laixi.health.laixi');
  });
});
