import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@app/http';
import { CertificationQueriesService } from './certification-queries.service';
import { CertificationService } from './certification.service';
import { ChangeReasonDto, CertifyDto, RenewDto } from './dto/certification.dto';

@ApiTags('certifications')
@ApiBearerAuth()
@Roles('hr-bureau')
@Controller('talent/certifications')
export class CertificationController {
  constructor(
    private readonly certifications: CertificationService,
    private readonly queries: CertificationQueriesService,
  ) {}

  @Post()
  @ApiOperation({ summary: "Certify a person as talent (this city's HR bureau); published to the other cities" })
  certify(@Body() body: CertifyDto) {
    return this.certifications.certify(body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One certification this city issued' })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.queries.certification(id);
  }

  @Post(':id/renew')
  @HttpCode(200)
  @ApiOperation({ summary: 'Extend the validity (and end a suspension) of a certification this city issued' })
  renew(@Param('id', ParseUUIDPipe) id: string, @Body() body: RenewDto) {
    return this.certifications.renew(id, body.validUntil);
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Suspend a certification this city issued: no claim is granted on it meanwhile' })
  suspend(@Param('id', ParseUUIDPipe) id: string, @Body() body: ChangeReasonDto) {
    return this.certifications.suspend(id, body.reason);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a certification this city issued, for good' })
  revoke(@Param('id', ParseUUIDPipe) id: string, @Body() body: ChangeReasonDto) {
    return this.certifications.revoke(id, body.reason);
  }
}
