import { Controller, DynamicModule, Get, Module } from '@nestjs/common';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { BusBatchContext, OnEventBatch } from '@app/bus';
import { AppConfig } from '@app/config';
import { PROBE_V1, ProbeV1 } from '@app/contracts';
import { Roles } from '@app/http';
import { ServiceCoreModule } from '@app/platform';

/**
 * One row per application of an event, with no unique key: unlike a real projection (or `bus_probe`, whose
 * primary key turns a second application into an error and a retry), it shows every application the inbox lets
 * through, so a double application is seen instead of masked.
 */
export class CountedApplications1799000000000 implements MigrationInterface {
  name = 'CountedApplications1799000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table counted_application (
        apply_order bigserial primary key,
        event_id text not null,
        origin text not null,
        topic text not null,
        stream text not null,
        n int not null
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('drop table counted_application');
  }
}

/** Counts the probes it is handed, in the inbox's transaction, in order of application. */
@Controller()
export class CountingHandler {
  @OnEventBatch(PROBE_V1)
  async count(probes: ProbeV1[], context: BusBatchContext): Promise<void> {
    const { events } = context;
    await context.manager.query(
      `insert into counted_application (event_id, origin, topic, stream, n)
       select event_id, origin, topic, stream, n from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[])
         with ordinality as a(event_id, origin, topic, stream, n, position) order by position`,
      [
        events.map(({ event }) => event.id),
        events.map(({ origin }) => origin),
        events.map(({ delivery }) => delivery.topic),
        probes.map((probe) => probe.stream),
        probes.map((probe) => probe.n),
      ],
    );
  }
}

/** A report that holds a database connection for a second, as a heavy read does: HTTP load that fills the pool. */
@Roles('operator')
@Controller('counted')
export class CountingReportController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('slow-report')
  async slowReport(): Promise<{ applied: number }> {
    const [{ applied }] = await this.dataSource.query<{ applied: number }[]>(
      'select count(*)::int as applied from counted_application, pg_sleep(1)',
    );
    return { applied };
  }
}

export interface CountingAppOptions {
  /**
   * Whether probes are counted here (the default, for the fault suite) or left to the bus's own handler, which
   * records them in `bus_probe` (for the bus's and the audit log's own tests, which read that table and /bus/probes).
   */
  countProbes?: boolean;
}

/**
 * A service with nothing but the bus, the audit log and a counting projection of the probes (tests only): the fault
 * suite's consumer, and the libraries' test service. Its handler is registered before the bus's own probe handler
 * (the root module's controllers come first, and the bus calls the first handler of a type), so probes are counted
 * here rather than in `bus_probe`, unless `countProbes` is false.
 */
@Module({})
export class CountingAppModule {
  static register(config: AppConfig, { countProbes = true }: CountingAppOptions = {}): DynamicModule {
    return {
      module: CountingAppModule,
      imports: [ServiceCoreModule.forRoot(config, { entities: [], migrations: [CountedApplications1799000000000] })],
      controllers: countProbes ? [CountingHandler, CountingReportController] : [CountingReportController],
    };
  }
}
