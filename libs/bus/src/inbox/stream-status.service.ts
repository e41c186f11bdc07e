import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface StreamStatus {
  origin: string;
  topic: string;
  /** Every sequence number from 1 to this one has been received (applied, or dead-lettered though signed). */
  highestContiguous: string;
  highest: string;
  received: string;
  /** Missing ranges below `highest`, oldest first (at most 100). */
  gaps: { from: string; to: string }[];
}

/** Completeness per origin and topic, from the origins' per-topic sequence numbers. */
@Injectable()
export class StreamStatusService {
  constructor(private readonly dataSource: DataSource) {}

  async streams(): Promise<StreamStatus[]> {
    const rows = await this.dataSource.query<
      {
        origin: string;
        topic: string;
        highest: string;
        received: string;
        highest_contiguous: string;
        gaps: { from: string; to: string }[];
      }[]
    >(`
      with floors as (
        -- Pruned inbox rows: every sequence number up to seq was received (InboxCleanup).
        select origin, topic, seq as floor, pruned from bus_inbox_floor
      ), seen as (
        select origin, topic, seq from bus_inbox where seq is not null
        union
        select origin, topic, seq from bus_dead_letter where signed and seq is not null
      ), above as (
        select s.origin, s.topic, s.seq, coalesce(f.floor, 0) as floor
          from seen s left join floors f using (origin, topic) where s.seq > coalesce(f.floor, 0)
      ), ordered as (
        select origin, topic, seq, lag(seq, 1, floor) over (partition by origin, topic order by seq) as previous
          from above
      ), counted as (
        select origin, topic, max(seq) as highest, count(*) as received from above group by origin, topic
      ), streams as (
        select origin, topic, greatest(c.highest, f.floor) as highest,
               coalesce(c.received, 0) + coalesce(f.pruned, 0) as received
          from counted c full join floors f using (origin, topic)
      ), gaps as (
        select origin, topic, previous + 1 as gap_from, seq - 1 as gap_to from ordered where seq > previous + 1
      )
      select s.origin, s.topic, s.highest::text, s.received::text,
             coalesce((select min(g.gap_from) - 1 from gaps g where g.origin = s.origin and g.topic = s.topic),
                      s.highest)::text as highest_contiguous,
             coalesce((select json_agg(json_build_object('from', g.gap_from::text, 'to', g.gap_to::text)
                                       order by g.gap_from)
                         from (select * from gaps g where g.origin = s.origin and g.topic = s.topic
                                order by g.gap_from limit 100) g), '[]'::json) as gaps
        from streams s order by s.origin, s.topic`);
    return rows.map((row) => ({
      origin: row.origin,
      topic: row.topic,
      highestContiguous: row.highest_contiguous,
      highest: row.highest,
      received: row.received,
      gaps: row.gaps,
    }));
  }
}
