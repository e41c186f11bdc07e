import { Client } from 'pg';
import { ServiceProcess } from './region-process';
import { now, sleep } from './util';

/** When B applied one probe: times in milliseconds since the epoch, on the machine's real-time clock. */
export interface AppliedProbe {
  /** bus_probe.applied_at: clock_timestamp() of the probe handler's insert, inside B's inbox transaction. */
  rowMs: number;
  /**
   * The last applied_at of the same inbox transaction (rows grouped by xmin): the handler's insert closest to that
   * transaction's commit, so the nearest the database shows to "B committed this probe".
   */
  txMs: number;
  /** bus_inbox.applied_at (now(): the start of that inbox transaction), if its inbox row was found. */
  txStartMs?: number;
}

export interface InboxTransactions {
  transactions: number;
  events: number;
  eventsP50: number;
  eventsMax: number;
  /** From the transaction's start to its last probe insert. */
  msP50: number;
  msP99: number;
  msMax: number;
}

/**
 * Reads region B's database over a connection of the benchmark's own (one pg Client, no pool): what B's probe
 * handler (ProbeService.record, in the inbox transaction) wrote to bus_probe. Everything the measurement loops poll
 * is an index lookup on bus_probe (origin, stream, n), so polling costs PostgreSQL next to nothing.
 */
export class ProbeReader {
  private constructor(
    private readonly client: Client,
    /** The origin B records for A's probes: A's region name. */
    private readonly origin: string,
    private readonly service: ServiceProcess,
  ) {}

  static async connect(databaseUrl: string, origin: string, service: ServiceProcess): Promise<ProbeReader> {
    const client = new Client({
      connectionString: databaseUrl,
      application_name: 'bench/probe-reader',
      connectionTimeoutMillis: 5000,
    });
    await client.connect();
    return new ProbeReader(client, origin, service);
  }

  async close(): Promise<void> {
    await this.client.end();
  }

  /**
   * Probes B has committed on `streams`, streams whose probes B applies in the order of their numbers (each stream
   * on one key: one partition, applied in order, one transaction after the other), so that a stream's highest n is
   * how many of its probes are committed: one backward index scan of one row per stream.
   */
  async appliedInOrder(streams: string[]): Promise<number> {
    this.service.assertRunning();
    const { rows } = await this.client.query<{ applied: number }>(
      `select coalesce(sum(last.n), 0)::int as applied
         from unnest($2::text[]) as s(stream)
         cross join lateral (select n from bus_probe where origin = $1 and stream = s.stream order by n desc limit 1) last`,
      [this.origin, streams],
    );
    return rows[0].applied;
  }

  /** Every probe from the origin B holds (what a rebuild of its projection must get back to). */
  async total(): Promise<number> {
    this.service.assertRunning();
    const { rows } = await this.client.query<{ applied: number }>(
      'select count(*)::int as applied from bus_probe where origin = $1',
      [this.origin],
    );
    return rows[0].applied;
  }

  /** Probes B has committed on `streams`, in any order (an index scan over those streams' rows). */
  async count(streams: string[]): Promise<number> {
    this.service.assertRunning();
    const { rows } = await this.client.query<{ applied: number }>(
      'select count(*)::int as applied from bus_probe where origin = $1 and stream = any($2::text[])',
      [this.origin, streams],
    );
    return rows[0].applied;
  }

  /** Polls every `everyMs` until B has committed `expected` probes on `streams`; throws after `timeoutMs`. */
  async waitApplied(
    streams: string[],
    expected: number,
    options: { ordered: boolean; timeoutMs: number; what: string; everyMs?: number },
  ): Promise<void> {
    const deadline = now() + options.timeoutMs;
    let applied = 0;
    while ((applied = options.ordered ? await this.appliedInOrder(streams) : await this.count(streams)) < expected) {
      if (now() > deadline) {
        throw new Error(
          `${options.what}: ${applied} of ${expected} applied after ${Math.round(options.timeoutMs / 1000)} s`,
        );
      }
      await sleep(options.everyMs ?? 50);
    }
  }

  /** The latest applied_at on `streams` (real-time clock, ms since the epoch): when B applied the last of them. */
  async lastAppliedAt(streams: string[]): Promise<number> {
    const { rows } = await this.client.query<{ ms: string | null }>(
      `select extract(epoch from max(applied_at)) * 1000 as ms from bus_probe where origin = $1 and stream = any($2::text[])`,
      [this.origin, streams],
    );
    if (rows[0].ms === null) throw new Error(`no probe of ${streams[0]}… in B`);
    return Number(rows[0].ms);
  }

  /** When B applied each probe on `streams`, by probe id. */
  async appliedTimes(streams: string[]): Promise<Map<string, AppliedProbe>> {
    const { rows } = await this.client.query<{ id: string; row_ms: string; tx_ms: string; start_ms: string | null }>(
      `with p as (
         select probe_id::text as id, xmin::text as tx, extract(epoch from applied_at) * 1000 as row_ms
           from bus_probe where origin = $1 and stream = any($2::text[])
       ), t as (
         select tx, max(row_ms) as tx_ms from p group by tx
       ), s as (
         select xmin::text as tx, extract(epoch from min(applied_at)) * 1000 as start_ms
           from bus_inbox where xmin::text in (select tx from t) group by 1
       )
       select p.id, p.row_ms, t.tx_ms, s.start_ms from p join t using (tx) left join s using (tx)`,
      [this.origin, streams],
    );
    return new Map(
      rows.map((row) => [
        row.id,
        {
          rowMs: Number(row.row_ms),
          txMs: Number(row.tx_ms),
          txStartMs: row.start_ms === null ? undefined : Number(row.start_ms),
        },
      ]),
    );
  }

  /** applied_at − sent_at (the event time, set in A before its commit) of the probes on `streams`: p50 and p99. */
  async eventTimeLatency(streamPrefix: string): Promise<{ p50: number; p99: number }> {
    const { rows } = await this.client.query<{ p50: number; p99: number }>(
      `select percentile_cont(0.5) within group (order by ms) as p50, percentile_cont(0.99) within group (order by ms) as p99
         from (select extract(epoch from applied_at - sent_at) * 1000 as ms from bus_probe where stream like $1) l`,
      [`${streamPrefix}%`],
    );
    return { p50: Number(rows[0].p50), p99: Number(rows[0].p99) };
  }

  /** What B's own tables say about a run's probes: every one applied once, none dead-lettered, each stream in order. */
  async checkDelivered(streamPrefix: string, expected: number, ordered: boolean): Promise<void> {
    const { rows } = await this.client.query<{ applied: number; distinct_ids: number; out_of_order: number }>(
      `select count(*)::int as applied, count(distinct probe_id)::int as distinct_ids,
              count(*) filter (where previous is not null and n <> previous + 1)::int as out_of_order
         from (select probe_id, n, lag(n) over (partition by stream order by apply_order) as previous
                 from bus_probe where stream like $1) p`,
      [`${streamPrefix}%`],
    );
    const [row] = rows;
    const dead = await this.client.query<{ dead: number }>('select count(*)::int as dead from bus_dead_letter');
    const problems: string[] = [];
    if (row.applied !== expected) problems.push(`${row.applied} probes in B's bus_probe, expected ${expected}`);
    if (row.distinct_ids !== row.applied) problems.push(`${row.applied - row.distinct_ids} applied twice`);
    if (ordered && row.out_of_order > 0) problems.push(`${row.out_of_order} applied out of order`);
    if (dead.rows[0].dead > 0) problems.push(`${dead.rows[0].dead} dead letters in B`);
    if (problems.length > 0) throw new Error(`delivery check of ${streamPrefix}*: ${problems.join('; ')}`);
  }

  /** Probes B applied since `sinceMs` (real-time clock). */
  async appliedSince(sinceMs: number): Promise<number> {
    const { rows } = await this.client.query<{ applied: number }>(
      'select count(*)::int as applied from bus_probe where applied_at >= to_timestamp($1::float8 / 1000)',
      [sinceMs],
    );
    return rows[0].applied;
  }

  /** B's inbox transactions that applied probes since `sinceMs`: how many, their size, their duration. */
  async inboxTransactions(sinceMs: number): Promise<InboxTransactions> {
    const { rows } = await this.client.query<Record<keyof InboxTransactions, string | null>>(
      `with p as (
         select xmin::text as tx, count(*) as events, max(applied_at) as last
           from bus_probe where applied_at >= to_timestamp($1::float8 / 1000) group by 1
       ), t as (
         select p.events, extract(epoch from p.last - s.start) * 1000 as ms
           from p join (select xmin::text as tx, min(applied_at) as start from bus_inbox
                         where applied_at >= to_timestamp($1::float8 / 1000) - interval '10 seconds' group by 1) s
             using (tx)
       )
       select count(*) as transactions, coalesce(sum(events), 0) as events,
              percentile_cont(0.5) within group (order by events) as "eventsP50", max(events) as "eventsMax",
              percentile_cont(0.5) within group (order by ms) as "msP50",
              percentile_cont(0.99) within group (order by ms) as "msP99", max(ms) as "msMax"
         from t`,
      [sinceMs],
    );
    const row = rows[0];
    return Object.fromEntries(
      Object.entries(row).map(([key, value]) => [key, value === null ? Number.NaN : Number(value)]),
    ) as unknown as InboxTransactions;
  }
}
