import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@app/http';
import { HukouRecordDto } from './dto/hukou-record.dto';
import { HukouService } from './hukou.service';

@ApiTags('household registration')
@ApiBearerAuth()
@Roles('hr-bureau')
@Controller('talent/hukou')
export class HukouController {
  constructor(private readonly hukou: HukouService) {}

  @Post()
  @ApiOperation({ summary: 'Record a household-registration change in this city; the other cities recognise it' })
  record(@Body() body: HukouRecordDto) {
    return this.hukou.record(body);
  }
}
