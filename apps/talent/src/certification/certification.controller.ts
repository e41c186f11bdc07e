import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
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
  @ApiOperation({
    summary:
      "Certify a person as talent (this city's HR bureau); published to the other cities. 201 when this city holds " +
      "the person's authority or the holder hands it over in time; 409 while another city's certification is not " +
      'revoked; else 202 with the pending request (GET …/requests/{id})',
  })
  async certify(@Body() body: CertifyDto, @Res({ passthrough: true }) response: Response) {
    const answer = await this.certifications.certify(body);
    response.status('requestId' in answer ? 202 : 201);
    return answer;
  }

  @Get('requests/:id')
  @ApiOperation({
    summary: "A certification this city asked the person's authority for: pending, certified or refused",
  })
  request(@Param('id', ParseUUIDPipe) id: string) {
    return this.queries.request(id);
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
