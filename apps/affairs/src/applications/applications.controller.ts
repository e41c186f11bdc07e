import {
  Body,
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { AnyFilesInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@app/http';
import { ApplicationsQueriesService } from './applications-queries.service';
import { ApplicationsService } from './applications.service';
import { ApplicationFileDto } from './dto/application-file.dto';
import { ApplicationListQueryDto } from './dto/application-list-query.dto';
import { FormField, JsonFieldPipe } from './dto/json-field.pipe';
import { RatingDto } from './dto/rating.dto';
import { SupplementDto } from './dto/supplement.dto';
import { UploadedMaterial } from './materials';
import { UPLOAD_LIMITS } from './upload-limits';

@ApiTags('applications')
@ApiBearerAuth()
@Roles('window-clerk')
@Controller('applications')
export class ApplicationsController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly queries: ApplicationsQueriesService,
  ) {}

  @Post()
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(AnyFilesInterceptor(UPLOAD_LIMITS))
  @ApiOperation({
    summary:
      'File an application at this city’s joint window (multipart: field `application`, JSON; one file part per ' +
      'material, named by its code). Checked against the matter; forwarded to the city that handles it (201)',
  })
  file(
    @FormField('application', new JsonFieldPipe(ApplicationFileDto, 'application')) application: ApplicationFileDto,
    @UploadedFiles() files: UploadedMaterial[] | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.applications.file(application, files ?? [], principal);
  }

  @Post(':id/supplements')
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(AnyFilesInterceptor(UPLOAD_LIMITS))
  @ApiOperation({ summary: 'Bring the supplements the handling city asked for (补正); forwarded to it' })
  supplement(
    @Param('id', ParseUUIDPipe) id: string,
    @FormField('supplement', new JsonFieldPipe(SupplementDto, 'supplement')) supplement: SupplementDto,
    @UploadedFiles() files: UploadedMaterial[] | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.applications.supplement(id, files ?? [], supplement.note, principal);
  }

  @Post(':id/rating')
  @ApiOperation({ summary: 'The applicant’s rating of a delivered case (好差评, 1 to 5; reasons below 3), once' })
  rate(@Param('id', ParseUUIDPipe) id: string, @Body() body: RatingDto) {
    return this.applications.rate(id, body.score, body.reasons ?? []);
  }

  @Get()
  @ApiOperation({ summary: 'Applications filed here, newest first, with the status the handling city sent' })
  list(@Query() query: ApplicationListQueryDto) {
    return this.queries.list(query.status);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One application filed here: its status, history, materials and clock alerts' })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.queries.get(id);
  }
}
