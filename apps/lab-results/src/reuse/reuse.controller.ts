import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '@app/config';
import { CurrentPrincipal, Principal, Roles } from '@app/http';
import { assertOwnRegion } from '../caller';
import { ReuseQueryDto } from './dto/reuse-query.dto';
import { ReuseService } from './reuse.service';

@ApiTags('reuse')
@ApiBearerAuth()
@Controller('reuse-queries')
export class ReuseController {
  constructor(
    private readonly reuse: ReuseService,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @Roles('his')
  @ApiOperation({
    summary:
      "Which of the patient's results from other cities can be reused instead of re-testing, with a reason per code",
  })
  query(@Body() body: ReuseQueryDto, @CurrentPrincipal() principal: Principal) {
    assertOwnRegion(principal, this.config);
    return this.reuse.query(principal, body);
  }
}
