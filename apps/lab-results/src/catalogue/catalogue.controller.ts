import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '@app/http';
import { ParseInstantPipe } from '../parse-instant.pipe';
import { CatalogueQueriesService } from './catalogue-queries.service';
import { CatalogueService } from './catalogue.service';
import { CataloguePublishDto } from './dto/catalogue-publish.dto';

@ApiTags('catalogue')
@ApiBearerAuth()
@Controller('catalogue')
export class CatalogueController {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly queries: CatalogueQueriesService,
  ) {}

  @Post('versions')
  @Roles('operator')
  @ApiOperation({
    summary: "Publish a new version of this city's catalogue of test items (takes effect at effectiveFrom)",
  })
  publish(@Body() body: CataloguePublishDto) {
    return this.catalogue.publish(body);
  }

  @Get()
  @Roles('his', 'operator')
  @ApiOperation({ summary: "A city's catalogue version in force at a time (default: this city, now)" })
  @ApiQuery({ name: 'region', required: false })
  @ApiQuery({ name: 'at', required: false, description: 'ISO 8601 instant' })
  describe(@Query('region') region: string | undefined, @Query('at', ParseInstantPipe) at: Date | undefined) {
    return this.queries.describe(region, at);
  }

  @Get('joint')
  @Roles('his', 'operator')
  @ApiOperation({ summary: 'The items this city and a peer both recognise, and the two versions that decided it' })
  @ApiQuery({ name: 'peer' })
  @ApiQuery({ name: 'at', required: false, description: 'ISO 8601 instant' })
  joint(@Query('peer') peer: string, @Query('at', ParseInstantPipe) at: Date | undefined) {
    return this.queries.joint(peer, at);
  }
}
