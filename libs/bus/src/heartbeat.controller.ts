import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { HEARTBEAT_V1, HeartbeatV1 } from '@app/contracts';
import { BusContext } from './bus.context';
import { HeartbeatService } from './heartbeat.service';

@Controller()
export class HeartbeatController {
  constructor(private readonly heartbeats: HeartbeatService) {}

  @EventPattern(HEARTBEAT_V1)
  recordPeerHeartbeat(@Payload() heartbeat: HeartbeatV1, @Ctx() context: BusContext): void {
    // A service that reads another domain hears that domain's services too; only its own kind are its peers.
    if (heartbeat.service !== this.heartbeats.service) return;
    this.heartbeats.record(context.origin, heartbeat, context.event.time ?? new Date().toISOString());
  }
}
