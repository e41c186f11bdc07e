import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '@app/http';
import { CatalogueQueriesService } from './catalogue-queries.service';
import { MatterCatalogue } from './matter-catalogue';
import { MatterListQueryDto } from './dto/matter-list-query.dto';

@ApiTags('matters')
@ApiBearerAuth()
@Roles('window-clerk', 'case-officer', 'operator')
@Controller('matters')
export class CatalogueController {
  constructor(
    private readonly queries: CatalogueQueriesService,
    private readonly catalogue: MatterCatalogue,
  ) {}

  @Get()
  @ApiQuery({ name: 'category', required: false, enum: ['enterprise', 'personal'] })
  @ApiOperation({
    summary:
      "The joint list: this city's matters, its catalogue version and each peer's, and the matters that differ " +
      'when the cities run different versions',
  })
  list(@Query() query: MatterListQueryDto) {
    return this.queries.jointList(query.category);
  }

  @Get(':code')
  @ApiOperation({ summary: 'One matter of this city’s catalogue' })
  get(@Param('code') code: string) {
    return this.catalogue.get(code);
  }
}
