import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@app/http';
import { ConsentRecordsService } from './consent-records.service';
import { ConsentGrantDto, PatientQueryDto } from './dto/consent-grant.dto';

@ApiTags('consents')
@ApiBearerAuth()
@Roles('his')
@Controller('consents')
export class ConsentController {
  constructor(private readonly consents: ConsentRecordsService) {}

  @Post()
  @ApiOperation({ summary: 'Record a patient’s consent to share health records with peer regions' })
  grant(@CurrentPrincipal() principal: Principal, @Body() body: ConsentGrantDto) {
    return this.consents.grant(principal, body);
  }

  @Post('query')
  @HttpCode(200)
  @ApiOperation({ summary: 'A patient’s consents (the resident ID in the body, never in a URL)' })
  list(@CurrentPrincipal() principal: Principal, @Body() body: PatientQueryDto) {
    return this.consents.list(principal, body.residentId);
  }

  @Get(':consentId')
  @ApiOperation({ summary: 'A consent, with the purge requested of and confirmed by each peer' })
  get(@CurrentPrincipal() principal: Principal, @Param('consentId', ParseUUIDPipe) consentId: string) {
    return this.consents.get(principal, consentId);
  }

  @Post(':consentId/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a consent: the peers it covered purge the patient’s records and confirm' })
  revoke(@CurrentPrincipal() principal: Principal, @Param('consentId', ParseUUIDPipe) consentId: string) {
    return this.consents.revoke(principal, consentId);
  }
}
