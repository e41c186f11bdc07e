import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@app/http';
import { CreditCodeParamDto } from './dto/credit-code-param.dto';
import { LicenceChangeDto } from './dto/licence-change.dto';
import { LicencesQueriesService } from './licences-queries.service';
import { LicencesService } from './licences.service';

@ApiTags('licences')
@ApiBearerAuth()
@Controller('licences')
export class LicencesController {
  constructor(
    private readonly licences: LicencesService,
    private readonly queries: LicencesQueriesService,
  ) {}

  @Get(':creditCode')
  @Roles('window-clerk', 'case-officer', 'operator')
  @ApiOperation({
    summary:
      "An enterprise's licences from this city's replica of the register (valid, suspended, revoked, expired), each " +
      "signature verified offline with the issuing region's key from the registry",
  })
  verify(@Param() params: CreditCodeParamDto) {
    return this.queries.verify(params.creditCode);
  }

  @Post(':licenceId/suspend')
  @HttpCode(200)
  @Roles('case-officer')
  @ApiOperation({ summary: 'Suspend a licence this city issued; every city hears it' })
  suspend(@Param('licenceId', ParseUUIDPipe) id: string, @Body() body: LicenceChangeDto) {
    return this.licences.change(id, 'suspended', body.reason);
  }

  @Post(':licenceId/reinstate')
  @HttpCode(200)
  @Roles('case-officer')
  @ApiOperation({ summary: 'Reinstate a suspended licence this city issued' })
  reinstate(@Param('licenceId', ParseUUIDPipe) id: string, @Body() body: LicenceChangeDto) {
    return this.licences.change(id, 'valid', body.reason);
  }

  @Post(':licenceId/revoke')
  @HttpCode(200)
  @Roles('case-officer')
  @ApiOperation({ summary: 'Revoke a licence this city issued, for good; every city hears it' })
  revoke(@Param('licenceId', ParseUUIDPipe) id: string, @Body() body: LicenceChangeDto) {
    return this.licences.change(id, 'revoked', body.reason);
  }
}
