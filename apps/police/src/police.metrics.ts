import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

@Injectable()
export class PoliceMetrics {
  readonly raised: Counter<'area' | 'severity'>;
  readonly delivered: Counter<'channel'>;
  readonly acknowledged: Counter<'status' | 'direction'>;
  readonly escalated: Counter<'severity'>;
  readonly timeToAcknowledge: Histogram;
  readonly streams: Gauge;

  constructor(registry: Registry) {
    this.raised = new Counter({
      name: 'police_alerts_raised_total',
      help: 'Alerts raised by units of this region',
      labelNames: ['area', 'severity'],
      registers: [registry],
    });
    this.delivered = new Counter({
      name: 'police_alerts_delivered_total',
      help: "Alert events delivered to this region's units, by channel (sse, poll)",
      labelNames: ['channel'],
      registers: [registry],
    });
    this.acknowledged = new Counter({
      name: 'police_alerts_acknowledged_total',
      help: 'Answers to alerts: sent by units of this region (out) or received for alerts raised here (in)',
      labelNames: ['status', 'direction'],
      registers: [registry],
    });
    this.escalated = new Counter({
      name: 'police_alerts_escalated_total',
      help: 'Alerts of this region escalated for want of an acknowledgement, by their severity before escalation',
      labelNames: ['severity'],
      registers: [registry],
    });
    this.timeToAcknowledge = new Histogram({
      name: 'police_time_to_acknowledge_seconds',
      help: 'From raising an alert here to its first acknowledgement by a unit of another region',
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200],
      registers: [registry],
    });
    this.streams = new Gauge({
      name: 'police_sse_streams',
      help: 'Open Server-Sent Events streams of units',
      registers: [registry],
    });
  }
}
