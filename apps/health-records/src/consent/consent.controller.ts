import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@app/http';
import { ConsentQueriesService } from './consent-queries.service';
import { ConsentRecordsService } from './consent-records.service';
import { PatientQueryDto } from '../patient.dto';
import { ConsentGrantDto } from './dto/consent-grant.dto';

@ApiTags('consents')
@ApiBearerAuth()
@Roles('his')
@Controller('consents')
export class ConsentController {
  constructor(
    private readonly consents: ConsentRecordsService,
    private readonly queries: ConsentQueriesService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Record a patient’s consent to share health records with peer regions' })
  grant(@Body() body: ConsentGrantDto) {
    return this.consents.grant(body);
  }

  @Post('query')
  @HttpCode(200)
  @ApiOperation({ summary: 'A patient’s consents (the resident ID in the body, never in a URL)' })
  list(@Body() body: PatientQueryDto) {
    return this.queries.list(body.residentId);
  }

  @Get(':consentId')
  @ApiOperation({ summary: 'A consent, with the purge requested of and confirmed by each peer' })
  get(@Param('consentId', ParseUUIDPipe) consentId: string) {
    return this.queries.get(consentId);
  }

  @Post(':consentId/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a consent: the peers it covered purge the patient’s records and confirm' })
  revoke(@Param('consentId', ParseUUIDPipe) consentId: string) {
    return this.consents.revoke(consentId);
  }
}
