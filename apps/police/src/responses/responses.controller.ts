import { Body, Controller, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@app/http';
import { UnitCodeGuard } from '../unit-code.guard';
import { AlertRespondDto } from './dto/alert-respond.dto';
import { ResponsesService } from './responses.service';

@ApiTags('alerts')
@ApiBearerAuth()
@Roles('police-unit')
@UseGuards(UnitCodeGuard)
@Controller('alerts')
export class ResponsesController {
  constructor(private readonly responses: ResponsesService) {}

  @Post(':id/responses')
  @ApiOperation({
    summary: 'Answer an alert of another region: ACKNOWLEDGED, then ACTION_TAKEN or ACTION_NOT_POSSIBLE',
  })
  respond(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: AlertRespondDto,
  ) {
    return this.responses.respond(principal, id, body);
  }
}
