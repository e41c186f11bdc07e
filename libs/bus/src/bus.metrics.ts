import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The bus's Prometheus metrics, on the service instance's own registry. */
@Injectable()
export class BusMetrics {
  readonly published: Counter<'topic'>;
  readonly consumed: Counter<'topic' | 'origin' | 'outcome'>;
  readonly retries: Counter<'topic' | 'class'>;
  readonly deadLetters: Counter<'topic' | 'reason'>;
  readonly lag: Gauge<'topic' | 'partition'>;
  readonly latency: Histogram<'origin'>;
  readonly outboxPending: Gauge;
  readonly relayFailures: Counter<'topic' | 'type'>;
  readonly producerReplacements: Counter;
  readonly lastEventTime: Gauge<'topic' | 'origin'>;

  constructor(registry: Registry) {
    this.published = new Counter({
      name: 'bus_events_published_total',
      help: 'Events relayed from the outbox to Kafka',
      labelNames: ['topic'],
      registers: [registry],
    });
    this.consumed = new Counter({
      name: 'bus_events_consumed_total',
      help: 'Events received from peers, by outcome: applied, duplicate, ignored (no handler here), dead_lettered',
      labelNames: ['topic', 'origin', 'outcome'],
      registers: [registry],
    });
    this.retries = new Counter({
      name: 'bus_retries_total',
      help: 'Attempts to apply an event again after a failure, by failure class',
      labelNames: ['topic', 'class'],
      registers: [registry],
    });
    this.deadLetters = new Counter({
      name: 'bus_dead_letters_total',
      help: 'Events sent to the dead-letter topic, by reason code',
      labelNames: ['topic', 'reason'],
      registers: [registry],
    });
    this.lag = new Gauge({
      name: 'bus_consumer_lag',
      help: 'Messages behind the end of each peer partition, as of the last batch',
      labelNames: ['topic', 'partition'],
      registers: [registry],
    });
    this.latency = new Histogram({
      name: 'bus_e2e_latency_seconds',
      help: "From the event's time at the origin (its outbox commit) to its inbox commit here",
      labelNames: ['origin'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    });
    this.outboxPending = new Gauge({
      name: 'bus_outbox_pending',
      help: 'Outbox rows not yet sent, as of the last relay pass',
      registers: [registry],
    });
    this.relayFailures = new Counter({
      name: 'bus_relay_failures_total',
      help: 'Produce requests of the outbox relay that failed, by topic and Kafka error type (other: not a protocol error)',
      labelNames: ['topic', 'type'],
      registers: [registry],
    });
    this.producerReplacements = new Counter({
      name: 'bus_producer_replacements_total',
      help: 'Times the relay replaced a producer left out of step with the broker (sequence, epoch, producer id)',
      registers: [registry],
    });
    this.lastEventTime = new Gauge({
      name: 'bus_last_event_timestamp_seconds',
      help: 'Time of the last event applied from each peer topic',
      labelNames: ['topic', 'origin'],
      registers: [registry],
    });
  }
}
