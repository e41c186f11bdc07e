import { consumedTopics } from './services';

describe(consumedTopics.name, () => {
  const regions = ['laixi', 'laiyang', 'jimo'];

  it("reads its own domain's broadcast and directed topics of every peer, never its own", () => {
    expect(consumedTopics('talent', 'laixi', regions)).toEqual([
      'laiyang.talent',
      'laiyang.talent.laixi',
      'jimo.talent',
      'jimo.talent.laixi',
    ]);
  });

  it('reads the domains it reads from every region, its own included', () => {
    expect(consumedTopics('lab-results', 'laixi', ['laixi', 'laiyang'])).toEqual([
      'laiyang.lab',
      'laiyang.lab.laixi',
      'laixi.health',
      'laixi.health.laixi',
      'laiyang.health',
      'laiyang.health.laixi',
    ]);
  });
});
