import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@app/http';
import { UnitCodeGuard } from '../unit-code.guard';
import { SubscriptionCreateDto } from './dto/subscription-create.dto';
import { SubscriptionsQueriesService } from './subscriptions-queries.service';
import { SubscriptionsService } from './subscriptions.service';

@ApiTags('subscriptions')
@ApiBearerAuth()
@Roles('police-unit')
@UseGuards(UnitCodeGuard)
@Controller('subscriptions')
export class SubscriptionsController {
  constructor(
    private readonly subscriptions: SubscriptionsService,
    private readonly queries: SubscriptionsQueriesService,
  ) {}

  @Post()
  @ApiOperation({ summary: "Subscribe the caller's unit to alerts by areas, severities and zones" })
  create(@CurrentPrincipal() principal: Principal, @Body() body: SubscriptionCreateDto) {
    return this.subscriptions.create(principal, body);
  }

  @Get()
  @ApiOperation({ summary: "The caller's unit's subscriptions" })
  list(@CurrentPrincipal() principal: Principal) {
    return this.queries.list(principal);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a subscription of the caller’s unit' })
  remove(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.subscriptions.remove(principal, id);
  }
}
