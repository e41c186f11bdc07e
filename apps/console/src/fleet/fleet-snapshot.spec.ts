import { NodeReport, buildSnapshot, parseMetrics } from './fleet-snapshot';

const regions = [
  { name: 'laixi', label: 'Laixi' },
  { name: 'laiyang', label: 'Laiyang' },
];

const laixiTalent: NodeReport = {
  region: 'laixi',
  service: 'talent',
  url: 'http://127.0.0.1:3103',
  health: { httpStatus: 200, body: { status: 'ok' } },
  metrics: [
    '# HELP bus_events_published_total Events relayed',
    '# TYPE bus_events_published_total counter',
    'bus_events_published_total{topic="laixi.talent",region="laixi",service="talent"} 7',
  ].join('\n'),
  outbox: { pending: 2, oldestPendingAt: '2026-11-24T12:00:00.000Z' },
  deadLetters: [],
  streams: [],
  audit: { valid: true, entries: 4, head: 'abc', pending: 0 },
};

const laiyangTalent: NodeReport = {
  region: 'laiyang',
  service: 'talent',
  url: 'http://127.0.0.1:3203',
  health: { httpStatus: 200, body: { status: 'ok' } },
  metrics: [
    '# TYPE bus_events_consumed_total counter',
    'bus_events_consumed_total{topic="laixi.talent",origin="laixi",outcome="applied"} 5',
    'bus_events_consumed_total{topic="laixi.talent",origin="laixi",outcome="duplicate"} 1',
    'bus_events_consumed_total{topic="laixi.talent",origin="unknown",outcome="dead_lettered"} 1',
    '# TYPE bus_consumer_lag gauge',
    'bus_consumer_lag{topic="laixi.talent",partition="0"} 1',
    'bus_consumer_lag{topic="laixi.talent",partition="1"} 2',
    '# TYPE bus_last_event_timestamp_seconds gauge',
    'bus_last_event_timestamp_seconds{topic="laixi.talent",origin="laixi"} 1795500000.5',
    '# TYPE bus_e2e_latency_seconds histogram',
    'bus_e2e_latency_seconds_bucket{le="0.005",origin="laixi"} 1',
  ].join('\n'),
  streams: [
    {
      origin: 'laixi',
      topic: 'laixi.talent',
      highestContiguous: '3',
      highest: '7',
      received: '5',
      gaps: [{ from: '4', to: '5' }],
    },
  ],
  deadLetters: [
    {
      id: '9',
      topic: 'laixi.talent',
      eventId: 'e',
      type: 'cn.shuanglai.bus.probe.v1',
      origin: 'laixi',
      seq: null,
      signed: false,
      reasonCode: 'BUS.BAD_SIGNATURE',
      reason: "signature does not verify with laixi's key",
      payload: '{}',
      deadAt: '2026-11-24T12:00:01.000Z',
      replayCount: 0,
      lastReplayAt: null,
    },
  ],
  outbox: { pending: 0, oldestPendingAt: null },
};

describe(buildSnapshot.name, () => {
  it('joins what the origin sent with what the peer applied, its lag and last event, per peer topic', () => {
    const snapshot = buildSnapshot([laixiTalent, laiyangTalent], regions, ['talent']);
    expect(snapshot.links).toEqual([
      {
        topic: 'laixi.talent',
        origin: 'laixi',
        consumer: { region: 'laiyang', service: 'talent' },
        published: 7,
        applied: 5,
        duplicates: 1,
        ignored: 0,
        deadLettered: 1,
        lag: 3,
        lastEventAt: '2026-11-24T06:00:00.500Z',
      },
    ]);
  });

  it('counts none sent when the origin answers but has not published on the topic yet', () => {
    const quiet = { ...laixiTalent, metrics: '# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 1' };
    expect(buildSnapshot([quiet, laiyangTalent], regions, ['talent']).links[0].published).toBe(0);
    expect(buildSnapshot([laiyangTalent], regions, ['talent']).links[0].published).toBeNull();
  });

  it('names the gaps of an incomplete stream and counts them on the node', () => {
    const snapshot = buildSnapshot([laixiTalent, laiyangTalent], regions, ['talent']);
    expect(snapshot.completeness).toEqual([
      expect.objectContaining({ origin: 'laixi', complete: false, gaps: [{ from: '4', to: '5' }] }),
    ]);
    expect(snapshot.nodes.find((node) => node.region === 'laiyang')).toMatchObject({ healthy: true, gaps: 1 });
  });

  it("measures completeness against the origin's last sequence number, not the highest one seen", () => {
    const caughtUp = {
      ...laiyangTalent,
      streams: [{ ...laiyangTalent.streams![0], gaps: [], highestContiguous: '7' }],
    };
    const sent = (lastSeq: string) => ({
      ...laixiTalent,
      outbox: { pending: 0, oldestPendingAt: null, published: [{ topic: 'laixi.talent', lastSeq }] },
    });
    expect(buildSnapshot([sent('7'), caughtUp], regions, ['talent']).completeness[0]).toMatchObject({
      published: '7',
      complete: true,
    });
    // The last two never arrived: no gap below the highest seen, yet not complete.
    expect(buildSnapshot([sent('9'), caughtUp], regions, ['talent']).completeness[0]).toMatchObject({
      published: '9',
      complete: false,
    });
    expect(buildSnapshot([sent('9'), caughtUp], regions, ['talent']).links[0].published).toBe(9);
  });

  it('lists dead letters with the node that holds them, newest first', () => {
    const snapshot = buildSnapshot([laixiTalent, laiyangTalent], regions, ['talent']);
    expect(snapshot.deadLetters).toEqual([
      expect.objectContaining({ id: '9', region: 'laiyang', service: 'talent', reasonCode: 'BUS.BAD_SIGNATURE' }),
    ]);
    expect(snapshot.nodes.map((node) => node.deadLetters)).toEqual([0, 1]);
  });

  it('says which dependency is down, or why a node could not be asked', () => {
    const down: NodeReport = {
      ...laiyangTalent,
      health: {
        httpStatus: 503,
        body: {
          status: 'error',
          details: { database: { status: 'up' }, kafka: { status: 'down', message: 'no broker' } },
        },
      },
    };
    const gone: NodeReport = {
      region: 'laixi',
      service: 'talent',
      url: 'x',
      unreachable: 'unreachable (ECONNREFUSED)',
    };
    const snapshot = buildSnapshot([gone, down], regions, ['talent']);
    expect(snapshot.nodes.map((node) => [node.healthy, node.problems])).toEqual([
      [false, ['unreachable (ECONNREFUSED)']],
      [false, ['kafka down: no broker']],
    ]);
  });

  it('shows a stuck outbox red with its cause', () => {
    const message = 'the oldest pending event has waited 95 s (limit 60 s); last relay error on laixi.talent: boom';
    const stuck: NodeReport = {
      ...laiyangTalent,
      health: {
        httpStatus: 503,
        body: { status: 'error', details: { kafka: { status: 'up' }, outbox: { status: 'down', message } } },
      },
    };
    const [node] = buildSnapshot([stuck], regions, ['talent']).nodes;
    expect([node.healthy, node.problems]).toEqual([false, [`outbox down: ${message}`]]);
  });
});

describe('peer heartbeats', () => {
  it('keeps the latest heartbeat heard from each peer region', () => {
    const heard: NodeReport = {
      ...laiyangTalent,
      health: {
        httpStatus: 200,
        body: {
          status: 'ok',
          details: {
            peers: {
              status: 'up',
              heartbeats: [
                { region: 'laixi', lastSeen: '2026-11-24T12:00:01.000Z' },
                { region: 'laixi', lastSeen: '2026-11-24T12:00:05.000Z' },
              ],
            },
          },
        },
      },
    };
    const [node] = buildSnapshot([heard], regions, ['talent']).nodes;
    expect(node.peersHeard).toEqual([{ region: 'laixi', lastSeen: '2026-11-24T12:00:05.000Z' }]);
  });

  it("carries a ledger node's agreement check, and none for the other services", () => {
    const ledger: NodeReport = {
      region: 'laiyang',
      service: 'ledger',
      url: 'http://127.0.0.1:3206',
      health: { httpStatus: 200, body: { status: 'ok' } },
      ledger: {
        agree: false,
        summary: "laixi's ledger differs at entry 3 (found by laiyang)",
        logs: [
          { log: 'laixi', size: 9, agreedUpTo: 3, firstDifference: { index: 3, foundBy: 'laiyang', reason: 'x' } },
        ],
        equivocations: 0,
      },
    };
    const nodes = buildSnapshot([ledger, laixiTalent], regions, ['talent', 'ledger']).nodes;
    expect(nodes.map((node) => node.ledger?.logs[0].firstDifference?.index ?? null)).toEqual([3, null]);
  });
});

describe(parseMetrics.name, () => {
  it('reads counters and gauges with their labels, escaped values included', () => {
    const samples = parseMetrics('# TYPE a counter\na{reason="say \\"no\\""} 2\n# TYPE b gauge\nb 1.5');
    expect(samples.get('a')).toEqual([{ labels: { reason: 'say "no"' }, value: 2 }]);
    expect(samples.get('b')).toEqual([{ labels: {}, value: 1.5 }]);
  });
});
