import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@app/http';
import { ConsistencyProofQuery, InclusionProofQuery, LogEntriesQuery } from './dto/log-query.dto';
import { LogQueriesService } from './log-queries.service';
import { LogService } from './log.service';

@ApiTags('ledger log')
@ApiBearerAuth()
@Roles('finance-bureau', 'operator', 'auditor')
@Controller('ledger')
export class LogController {
  constructor(
    private readonly log: LogService,
    private readonly queries: LogQueriesService,
  ) {}

  @Get('agreement')
  @ApiOperation({ summary: 'Whether both ledgers agree, up to which entry, or the first entry where they differ' })
  agreement() {
    return this.queries.agreement();
  }

  @Post('heads')
  @HttpCode(201)
  @Roles('finance-bureau', 'operator')
  @ApiOperation({ summary: "Sign this city's log head now and submit it to every peer for cosigning" })
  publishHead() {
    return this.log.publishHead();
  }

  @Get('equivocations')
  @ApiOperation({ summary: 'Conflicting heads signed by one city, kept as proof' })
  equivocations() {
    return this.queries.equivocations();
  }

  @Get('logs/:log/entries')
  @ApiOperation({ summary: "Entries of a city's log as held here, each with the head its city signed after it" })
  entries(@Param('log') log: string, @Query() query: LogEntriesQuery) {
    return this.queries.entries(log, query.from ?? 0, query.limit ?? 100);
  }

  @Get('logs/:log/heads')
  @ApiOperation({ summary: "The latest signed heads of a city's log held here, and the witnesses' refusals" })
  heads(@Param('log') log: string) {
    return this.queries.heads(log);
  }

  @Get('logs/:log/proofs/inclusion')
  @ApiOperation({ summary: 'RFC 9162 inclusion proof of an entry' })
  inclusion(@Param('log') log: string, @Query() query: InclusionProofQuery) {
    return this.queries.inclusion(log, query.index, query.size);
  }

  @Get('logs/:log/proofs/consistency')
  @ApiOperation({ summary: 'RFC 9162 consistency proof between two sizes' })
  consistency(@Param('log') log: string, @Query() query: ConsistencyProofQuery) {
    return this.queries.consistency(log, query.first, query.second);
  }
}
