import { Body, ConflictException, Controller, Get, INestApplication, Logger, Param, Post } from '@nestjs/common';
import request from 'supertest';
import { QueryFailedError } from 'typeorm';
import { DatabaseUnavailableError } from '@app/database';
import { Public } from './auth.decorators';
import { DomainError, DomainErrorKind } from './domain.error';
import { ProblemDetailsFilter } from './problem-details.filter';
import { createTestApp } from './test-app.fixture';

@Controller('fail')
@Public()
class FailingController {
  @Get('domain/:kind')
  domain(@Param('kind') kind: DomainErrorKind): never {
    throw new DomainError('TALENT.ALREADY_GRANTED', kind, 'The talent subsidy was already granted', {
      details: { talentId: 't-1' },
    });
  }

  @Get('fields')
  fields(): never {
    throw new DomainError('BUS.CLEAR_IDENTIFIER', 'unprocessable', 'a field holds a clear identifier', {
      errors: [{ field: 'body.note', messages: ['holds a resident ID number'] }],
    });
  }

  @Get('http')
  http(): never {
    throw new ConflictException('The certificate is revoked');
  }

  @Get('unknown')
  unknown(): never {
    throw new Error('connection to 10.0.0.5 refused: password=hunter2');
  }

  @Get('database/:how')
  database(@Param('how') how: string): never {
    if (how === 'pool') throw new DatabaseUnavailableError(new Error('timeout exceeded when trying to connect'));
    throw new QueryFailedError(
      'select 1',
      [],
      Object.assign(new Error('sorry, too many clients already'), { code: how }),
    );
  }

  @Get('string')
  string(): never {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- the filter must survive code that does this
    throw 'plain string';
  }

  @Post('echo')
  echo(@Body() body: object): object {
    return body;
  }
}

describe(ProblemDetailsFilter.name, () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp([FailingController]);
  });

  afterAll(async () => {
    await app.close();
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it.each([
    ['not-found', 404, 'Not Found'],
    ['conflict', 409, 'Conflict'],
    ['invalid', 400, 'Bad Request'],
    ['forbidden', 403, 'Forbidden'],
    ['unavailable', 503, 'Service Unavailable'],
    ['too-large', 413, 'Payload Too Large'],
    ['unprocessable', 422, 'Unprocessable Entity'],
  ])('does map a DomainError of kind %s to %d with its code', async (kind, status, title) => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);

    const response = await request(app.getHttpServer()).get(`/fail/domain/${kind}`);

    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toEqual({
      type: 'about:blank',
      title,
      status,
      detail: 'The talent subsidy was already granted',
      instance: `/fail/domain/${kind}`,
      code: 'TALENT.ALREADY_GRANTED',
    });
  });

  it("does list the fields a DomainError names as the problem's errors", async () => {
    const response = await request(app.getHttpServer()).get('/fail/fields');

    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      code: 'BUS.CLEAR_IDENTIFIER',
      errors: [{ field: 'body.note', messages: ['holds a resident ID number'] }],
    });
  });

  it('does map an HttpException to its status and message', async () => {
    const response = await request(app.getHttpServer()).get('/fail/http?resident=370285199001011234');

    expect(response.status).toBe(409);
    expect(response.body).toEqual({
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: 'The certificate is revoked',
      instance: '/fail/http',
    });
  });

  it('does answer an unknown error with a generic 500 and log it', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);

    const response = await request(app.getHttpServer()).get('/fail/unknown');

    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred',
      instance: '/fail/unknown',
    });
    expect(JSON.stringify(response.body)).not.toContain('hunter2');
    expect(logged).toHaveBeenCalledWith('GET /fail/unknown failed with 500', expect.stringContaining('hunter2'));
  });

  it.each(['pool', '53300', '57P01', '08006'])(
    'does answer 503 with Retry-After, never 500, when the database gives no connection (%s)',
    async (how) => {
      jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);

      const response = await request(app.getHttpServer()).get(`/fail/database/${how}`);

      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 503, code: 'DATABASE.UNAVAILABLE' });
    },
  );

  it('does answer 500 for a statement the database rejects (not an outage)', async () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);

    const response = await request(app.getHttpServer()).get('/fail/database/42P01');

    expect(response.status).toBe(500);
  });

  it('does answer a thrown non-Error with a generic 500', async () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);

    const response = await request(app.getHttpServer()).get('/fail/string');

    expect(response.status).toBe(500);
    expect(response.body).toMatchObject({ status: 500, detail: 'An unexpected error occurred' });
  });

  it('does answer 404 with a problem for an unknown route', async () => {
    const response = await request(app.getHttpServer()).get('/nowhere');

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ title: 'Not Found', status: 404, instance: '/nowhere' });
  });

  it('does answer 400, not 500, for malformed JSON', async () => {
    const response = await request(app.getHttpServer())
      .post('/fail/echo')
      .set('Content-Type', 'application/json')
      .send('{"name": ');

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ title: 'Bad Request', status: 400, detail: 'Unexpected end of JSON input' });
  });

  it('does answer 413 for a body over the size limit', async () => {
    const response = await request(app.getHttpServer())
      .post('/fail/echo')
      .send({ blob: 'x'.repeat(200 * 1024) });

    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ title: 'Payload Too Large', status: 413, instance: '/fail/echo' });
  });
});
