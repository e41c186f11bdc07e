import { DataSource } from 'typeorm';
import { BusPublisher } from '@app/bus';
import { ThroughputFigure } from './kafka-raw';
import { note, probeEvent } from './payload';
import { BenchStack } from './stack';
import { log, now, realtimeOffset } from './util';

export interface TxOptions {
  seconds: number;
  writers: number;
  accounts: number;
  noteBytes: number;
}

/** The state the business transactions change: one row per account, updated with its version. */
export async function createAccounts(dataSource: DataSource, accounts: number): Promise<void> {
  await dataSource.query(`drop table if exists bench_account`);
  await dataSource.query(`
    create table bench_account (
      id int primary key,
      balance bigint not null default 0,
      version int not null default 0,
      updated_at timestamptz not null default now()
    )`);
  await dataSource.query('insert into bench_account (id) select generate_series(1, $1)', [accounts]);
  await dataSource.query('analyze bench_account');
}

/**
 * `writers` concurrent loops, each committing one business transaction after another for `seconds`: a state change
 * (an account's balance and version) plus its one event in the outbox, in one transaction. Returns how many
 * transactions committed and when the last one did.
 */
async function runWriters(
  dataSource: DataSource,
  publisher: BusPublisher,
  streamPrefix: string,
  options: TxOptions,
): Promise<{ committed: number; started: number; ended: number }> {
  const text = note(options.noteBytes);
  let committed = 0;
  const started = now();
  const stopAt = started + options.seconds * 1000;
  const writer = async (index: number) => {
    const stream = `${streamPrefix}-w${index}`;
    let n = 0;
    while (now() < stopAt) {
      const account = 1 + Math.floor(Math.random() * options.accounts);
      await dataSource.transaction(async (manager) => {
        await manager.query(
          'update bench_account set balance = balance + 1, version = version + 1, updated_at = now() where id = $1',
          [account],
        );
        await publisher.publishMany(manager, [{ ...probeEvent(stream, n + 1, text), subject: `account/${account}` }]);
      });
      n += 1;
      committed += 1;
    }
  };
  await Promise.all(Array.from({ length: options.writers }, (_, i) => writer(i)));
  return { committed, started, ended: now() };
}

/**
 * `pg.outbox.commit.throughput`: the writers against a database of their own on the same server, with the bus's
 * schema and a service's pool settings, where nothing relays or consumes: what the outbox costs the writers alone.
 */
export async function outboxCommitBaseline(stack: BenchStack, options: TxOptions): Promise<ThroughputFigure> {
  const { dataSource } = await stack.plainDatabase('outbox_baseline');
  await createAccounts(dataSource, options.accounts);
  // The same publisher class the services use (it needs only the region's name for the topic and source).
  const publisher = new BusPublisher(stack.a.config);
  const run = await runWriters(dataSource, publisher, `txbase-${stack.runId}`, options);
  const ms = run.ended - run.started;
  const [{ pending }] = await dataSource.query<{ pending: number }[]>(
    'select count(*)::int as pending from bus_outbox where sent_at is null',
  );
  if (pending !== run.committed) throw new Error(`baseline outbox holds ${pending} rows, expected ${run.committed}`);
  return { events: run.committed, ms, perSecond: (run.committed * 1000) / ms };
}

/**
 * `bus.e2e.tx.throughput`: the same writers and transactions in region A's service (its relay woken by each commit,
 * sharing its pool), measured until region B (its own process) has applied every event: from the writers' start to
 * the last applied_at of their probes in B's database.
 */
export async function busTxThroughput(stack: BenchStack, options: TxOptions): Promise<ThroughputFigure> {
  await createAccounts(stack.a.dataSource, options.accounts);
  const prefix = `tx-${stack.runId}`;
  const streams = Array.from({ length: options.writers }, (_, index) => `${prefix}-w${index}`);
  const offset = realtimeOffset();
  const run = await runWriters(stack.a.dataSource, stack.a.publisher, prefix, options);
  // Writers change random accounts (keys on every partition), so a writer's events are not applied in its order:
  // count them (only now, after the writers, so that the count's index scans do not compete with them).
  await stack.b.probes.waitApplied(streams, run.committed, {
    ordered: false,
    timeoutMs: 300_000,
    what: 'region B applying the transactions',
  });
  const ms = (await stack.b.probes.lastAppliedAt(streams)) - (run.started + offset);
  log(
    `bus tx: ${run.committed} transactions committed in A in ${Math.round(run.ended - run.started)} ms ` +
      `(${Math.round((run.committed * 1000) / (run.ended - run.started))}/s), all applied in B after ${Math.round(ms)} ms`,
  );
  await stack.b.probes.checkDelivered(prefix, run.committed, false);
  return { events: run.committed, ms, perSecond: (run.committed * 1000) / ms };
}
