import { Controller } from '@nestjs/common';
import { HEARTBEAT_V1, HeartbeatV1 } from '@app/contracts';
import { BusContext } from './bus.context';
import { HeartbeatService } from './heartbeat.service';
import { OnEvent } from './on-event.decorator';

@Controller()
export class HeartbeatController {
  constructor(private readonly heartbeats: HeartbeatService) {}

  @OnEvent(HEARTBEAT_V1)
  async recordPeerHeartbeat(heartbeat: HeartbeatV1, context: BusContext): Promise<void> {
    // A service that reads another domain hears that domain's services too; only its own kind are its peers.
    if (heartbeat.service !== this.heartbeats.service) return;
    this.heartbeats.record(context.origin, heartbeat, context.event.time ?? new Date().toISOString());
  }
}
