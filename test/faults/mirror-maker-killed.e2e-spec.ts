import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICES } from '@app/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { ensureRegionTopics } from '@app/bus';
import { MirrorMaker, repoRoot, startMirrorMaker } from '@app/embedded';
import {
  CountingAppModule,
  PrivateBroker,
  TestService,
  eventually,
  startTestService,
  testInfra,
  testRegions,
} from '@app/testing';
import { appliedCount, expectBusInvariants, flowProbes } from './bus-invariants';

const DOMAINS = [...new Set(Object.values(SERVICES).map((service) => service.domain))];

/**
 * The federated topology, one direction of it: Laixi publishes on its cluster (the run's broker), Laiyang reads
 * its own cluster (a private broker), into which Laiyang's MirrorMaker 2 pulls Laixi's topics. MirrorMaker is
 * at-least-once: killed, it resumes from the source offsets it last stored, and mirrors again what came after.
 */
describe('the bus when MirrorMaker 2 is killed (SIGKILL) and restarted mid-stream', () => {
  const regions = testRegions(['laixi', 'laiyang']);
  const laiyangCluster = new PrivateBroker();
  const mirrorDir = mkdtempSync(join(tmpdir(), 'shuanglai-mm2-'));
  let mirror: MirrorMaker | undefined;
  let laixi: TestService;
  let laiyang: TestService;

  const startMirror = async () => {
    mirror = await startMirrorMaker({
      root: repoRoot(),
      dataDir: mirrorDir,
      target: { name: regions.names.laiyang, brokers: laiyangCluster.brokers },
      sources: [{ name: regions.names.laixi, brokers: testInfra().kafkaBrokers }],
      domains: DOMAINS,
    });
  };

  beforeAll(async () => {
    await Promise.all([
      laiyangCluster.start(),
      // Laixi's topics before MirrorMaker starts, so that it mirrors them from their first event.
      ensureRegionTopics(new Kafka({ brokers: [testInfra().kafkaBrokers], logLevel: logLevel.NOTHING }), {
        region: regions.names.laixi,
        regions: Object.values(regions.names),
        partitions: 3,
        retentionMs: 7 * 24 * 60 * 60 * 1000,
      }),
    ]);
    const start = (region: 'laixi' | 'laiyang', brokers: string) =>
      startTestService({
        service: 'talent',
        regions,
        region,
        appModule: (config) => CountingAppModule.register(config),
        env: { KAFKA_BROKERS: brokers, HEARTBEAT_INTERVAL_MS: '3600000', DATABASE_POOL_SIZE: '3' },
      });
    [laixi, laiyang] = await Promise.all([
      start('laixi', testInfra().kafkaBrokers),
      start('laiyang', laiyangCluster.brokers),
      startMirror(),
    ]);
  });

  afterAll(async () => {
    await Promise.all([laixi?.close(), laiyang?.close()]);
    await mirror?.stop();
    await laiyangCluster.stop();
  });

  it('applies every event once, in order, with no gap, though MirrorMaker mirrored some of them twice', async () => {
    const streams = { 'mirror-a': 1500, 'mirror-b': 1500 };
    const flowing = flowProbes(() => laixi, streams, { chunk: 50, pauseMs: 50 });
    await eventually(async () => ((await appliedCount(laiyang)) >= 500 ? true : undefined), 90_000, '500 applied');

    await mirror!.kill();
    const atKill = await appliedCount(laiyang);
    expect(atKill).toBeLessThan(3000);
    await startMirror();
    await flowing;

    const report = await expectBusInvariants({ publisher: laixi, consumer: laiyang, streams });
    // The fault hit: the restarted MirrorMaker mirrored again what it had mirrored before the kill.
    expect(report.copies).toBeGreaterThan(0);
  });
});
