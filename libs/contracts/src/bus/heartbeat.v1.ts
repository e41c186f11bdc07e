import { IsDateString, IsIn, IsString } from 'class-validator';
import { SERVICE_NAMES, ServiceName } from '../services';

export const HEARTBEAT_V1 = 'cn.shuanglai.bus.heartbeat.v1';

/** Sent by every service instance on its own domain topic, so peers see it alive even when no data flows. */
export class HeartbeatV1 {
  @IsIn(SERVICE_NAMES)
  service!: ServiceName;

  @IsString()
  instance!: string;

  @IsDateString()
  startedAt!: string;
}
