import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@app/http';
import { DeclarationsQueriesService } from './declarations-queries.service';
import { DeclarationsService } from './declarations.service';
import { DeclarationDeclareDto } from './dto/declaration-declare.dto';
import { DeclarationDisputeDto } from './dto/declaration-dispute.dto';
import { DeclarationListQuery } from './dto/declaration-list.dto';

@ApiTags('declarations')
@ApiBearerAuth()
@Roles('finance-bureau', 'operator', 'auditor')
@Controller('declarations')
export class DeclarationsController {
  constructor(
    private readonly declarations: DeclarationsService,
    private readonly queries: DeclarationsQueriesService,
  ) {}

  @Post()
  @Roles('finance-bureau', 'operator')
  @ApiOperation({
    summary: "The host city declares a project's amounts for a period (fen), or corrects the period's last version",
  })
  declare(@CurrentPrincipal() principal: Principal, @Body() body: DeclarationDeclareDto) {
    return this.declarations.declare(principal, body);
  }

  @Post(':declarationId/confirm')
  @HttpCode(200)
  @Roles('finance-bureau')
  @ApiOperation({ summary: 'The other city confirms a declaration, having computed the split itself' })
  confirm(@CurrentPrincipal() principal: Principal, @Param('declarationId', ParseUUIDPipe) declarationId: string) {
    return this.declarations.confirm(principal, declarationId);
  }

  @Post(':declarationId/dispute')
  @HttpCode(200)
  @Roles('finance-bureau')
  @ApiOperation({ summary: 'The other city disputes a declaration, with its reason' })
  dispute(
    @CurrentPrincipal() principal: Principal,
    @Param('declarationId', ParseUUIDPipe) declarationId: string,
    @Body() body: DeclarationDisputeDto,
  ) {
    return this.declarations.dispute(principal, declarationId, body.reason);
  }

  @Get()
  @ApiOperation({ summary: 'Declarations of every version, of a project or period' })
  list(@Query() query: DeclarationListQuery) {
    return this.queries.list(query);
  }

  @Get(':declarationId')
  get(@Param('declarationId', ParseUUIDPipe) declarationId: string) {
    return this.queries.get(declarationId);
  }
}
