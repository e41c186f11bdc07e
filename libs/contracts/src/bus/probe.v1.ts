import { IsInt, IsOptional, IsString, IsUUID, Matches, MaxLength, Min } from 'class-validator';

export const PROBE_V1 = 'cn.shuanglai.bus.probe.v1';

/**
 * An operator's delivery probe: sent through the outbox like any business event and recorded where it is applied,
 * so a node can prove end to end that the other city receives, verifies and commits what it publishes.
 * `stream` and `n` let the receiver check order: probes of one stream carry n = 1, 2, 3, …
 */
export class ProbeV1 {
  @IsUUID()
  probeId!: string;

  @Matches(/^[A-Za-z0-9._:-]{1,100}$/, { message: 'stream must be 1 to 100 letters, digits or ._:-' })
  stream!: string;

  @IsInt()
  @Min(1)
  n!: number;

  @IsOptional()
  @IsString()
  @MaxLength(65_536)
  note?: string;
}
