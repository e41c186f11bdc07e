import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@app/http';
import { ProjectRegisterDto } from './dto/project-register.dto';
import { ProjectsQueriesService } from './projects-queries.service';
import { ProjectsService } from './projects.service';

@ApiTags('projects')
@ApiBearerAuth()
@Roles('finance-bureau', 'operator', 'auditor')
@Controller('projects')
export class ProjectsController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly queries: ProjectsQueriesService,
  ) {}

  @Post()
  @Roles('finance-bureau')
  @ApiOperation({ summary: 'Register a co-built project; it takes effect when the other city confirms it' })
  register(@CurrentPrincipal() principal: Principal, @Body() body: ProjectRegisterDto) {
    return this.projects.register(principal, body);
  }

  @Post(':projectId/confirm')
  @HttpCode(200)
  @Roles('finance-bureau')
  @ApiOperation({ summary: 'Confirm a project the other city registered (two-party sign-off)' })
  confirm(@CurrentPrincipal() principal: Principal, @Param('projectId', ParseUUIDPipe) projectId: string) {
    return this.projects.confirm(principal, projectId);
  }

  @Get()
  @ApiOperation({ summary: 'Projects this city is a party to' })
  list() {
    return this.queries.list();
  }

  @Get(':projectId')
  get(@Param('projectId', ParseUUIDPipe) projectId: string) {
    return this.queries.get(projectId);
  }
}
