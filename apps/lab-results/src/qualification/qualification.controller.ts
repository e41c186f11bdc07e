import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '@app/http';
import { QualificationGrantDto, QualificationSuspendDto } from './dto/qualification-grant.dto';
import { QualificationQueriesService } from './qualification-queries.service';
import { QualificationService } from './qualification.service';

@ApiTags('labs')
@ApiBearerAuth()
@Controller('labs/qualifications')
export class QualificationController {
  constructor(
    private readonly qualifications: QualificationService,
    private readonly queries: QualificationQueriesService,
  ) {}

  @Post()
  @Roles('operator')
  @ApiOperation({ summary: "Publish a qualification of one of this city's labs (accreditation, EQA, validity)" })
  grant(@Body() body: QualificationGrantDto) {
    return this.qualifications.grant(body);
  }

  @Post(':qualificationId/suspension')
  @HttpCode(200)
  @Roles('operator')
  @ApiOperation({ summary: 'Suspend a qualification from a time on (results collected before it stay recognisable)' })
  suspend(@Param('qualificationId', ParseUUIDPipe) qualificationId: string, @Body() body: QualificationSuspendDto) {
    return this.qualifications.suspend(qualificationId, body);
  }

  @Get()
  @Roles('his', 'operator')
  @ApiOperation({ summary: 'Qualifications of the labs of every city known here' })
  @ApiQuery({ name: 'region', required: false })
  @ApiQuery({ name: 'labId', required: false })
  list(@Query('region') region?: string, @Query('labId') labId?: string) {
    return this.queries.list(region, labId);
  }
}
