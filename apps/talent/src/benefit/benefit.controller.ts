import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@app/http';
import { BenefitQueriesService } from './benefit-queries.service';
import { BenefitService } from './benefit.service';
import { ClaimDto } from './dto/claim.dto';

@ApiTags('benefits')
@ApiBearerAuth()
@Controller('talent')
export class BenefitController {
  constructor(
    private readonly benefits: BenefitService,
    private readonly queries: BenefitQueriesService,
  ) {}

  @Get('catalogue')
  @Roles('hr-bureau', 'operator')
  @ApiOperation({ summary: "The programme's tiers and hukou services, and this city's benefit catalogue" })
  catalogue() {
    return this.queries.catalogue();
  }

  @Post('claims')
  @Roles('hr-bureau')
  @ApiOperation({
    summary:
      'Claim a benefit for a person: a shared one is decided here (201); an exclusive one by the certifying ' +
      'city: 201 when that is this city, else 202 with status pending until its answer arrives',
  })
  async claim(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ClaimDto,
    @Res({ passthrough: true }) response: Response,
  ) {
    const claim = await this.benefits.claim(principal, body);
    response.status(claim.status === 'pending' ? 202 : 201);
    return claim;
  }

  @Get('claims/:id')
  @Roles('hr-bureau')
  @ApiOperation({ summary: 'A claim made in this city: pending, granted, denied (with the reason) or timed-out' })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.queries.claim(id);
  }
}
