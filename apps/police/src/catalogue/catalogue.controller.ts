import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@app/http';
import { PoliceCatalogue, PoliceCatalogueFile } from './police-catalogue';

@ApiTags('catalogue')
@ApiBearerAuth()
@Roles('police-unit', 'operator')
@Controller('catalogue')
export class CatalogueController {
  constructor(private readonly catalogue: PoliceCatalogue) {}

  @Get()
  @ApiOperation({ summary: 'Key areas, severities (with acknowledgement deadlines and escalation) and zones' })
  @ApiOkResponse({ type: PoliceCatalogueFile })
  get(): PoliceCatalogueFile {
    return this.catalogue.file;
  }
}
