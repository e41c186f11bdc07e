import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@app/http';
import { ReuseQueryDto } from './dto/reuse-query.dto';
import { ReuseService } from './reuse.service';

@ApiTags('reuse')
@ApiBearerAuth()
@Controller('reuse-queries')
export class ReuseController {
  constructor(private readonly reuse: ReuseService) {}

  @Post()
  @Roles('his')
  @ApiOperation({
    summary:
      "Which of the patient's results from other cities can be reused instead of re-testing, with a reason per code",
  })
  query(@Body() body: ReuseQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.reuse.ask(principal, body);
  }
}
