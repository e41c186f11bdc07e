import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@app/http';
import { StatusQueryDto } from './dto/status-query.dto';
import { StatusQueriesService } from './status-queries.service';

@ApiTags('status')
@ApiBearerAuth()
@Controller('talent/status')
export class StatusController {
  constructor(private readonly queries: StatusQueriesService) {}

  @Post()
  @HttpCode(200)
  @Roles('hr-bureau', 'his', 'police-unit', 'operator')
  @ApiOperation({
    summary:
      "A person's recognised talent status across the cities. HR bureaus get the full answer (audited, with " +
      'purpose); every other role only { hit }: whether a valid certification exists.',
  })
  query(@CurrentPrincipal() principal: Principal, @Body() body: StatusQueryDto) {
    return this.queries.status(principal, body);
  }
}
