import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { Roles } from '@app/http';
import { CaseRepository } from '../cases/case.repository';

@ApiTags('supervision')
@ApiBearerAuth()
@Roles('operator')
@Controller('supervision')
export class SupervisionController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly cases: CaseRepository,
  ) {}

  @Get('clock-alerts')
  @ApiOperation({ summary: 'Warnings (80 % of the time limit) and escalations (overdue) of the cases handled here' })
  clockAlerts() {
    return this.cases.clockAlerts(this.dataSource.manager, this.config.region, 500);
  }
}
