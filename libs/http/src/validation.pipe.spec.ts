import { Body, Controller, Get, INestApplication, Param, Post, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsIn, IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import request from 'supertest';
import { Public } from './auth.decorators';
import { createTestApp } from './test-app.fixture';
import { createValidationPipe, inspectInput } from './validation.pipe';

class ItemDto {
  @IsString()
  name!: string;

  @IsIn(['kg', 'piece'])
  unit!: string;
}

class OrderDto {
  @IsInt()
  @Min(1)
  quantity!: number;

  @ValidateNested({ each: true })
  @ArrayMinSize(1)
  @Type(() => ItemDto)
  items!: ItemDto[];
}

class NoteDto {
  @ValidateNested()
  @Type(() => ItemDto)
  item!: ItemDto;

  @IsOptional()
  @IsString()
  note?: string;
}

@Controller('orders')
@Public()
class OrderController {
  @Post()
  create(@Body() order: OrderDto): { isDto: boolean; order: OrderDto } {
    return { isDto: order instanceof OrderDto, order };
  }

  @Post('notes')
  note(@Body() note: NoteDto): NoteDto {
    return note;
  }

  @Get(':id')
  find(@Param('id') id: string, @Query('region') region?: string): { id: string; region?: string } {
    return { id, region };
  }
}

describe(inspectInput.name, () => {
  it('does name each string holding NUL or an unpaired surrogate, keys included, and bound the depth', () => {
    const deep = JSON.parse(`${'['.repeat(40)}${']'.repeat(40)}`) as unknown;

    const errors = inspectInput({ a: 'x\u0000', b: ['ok', 'y\ud800'], c: '\ud83d\ude00', 'k\u0000': 1, deep });

    expect(errors.map((error) => error.field).sort()).toEqual(['a', 'b.1', `deep${'.0'.repeat(31)}`, 'k\u0000']);
    expect(errors.find((error) => error.field.startsWith('deep'))?.messages[0]).toMatch(/nests deeper than 32 levels$/);
  });
});

describe(createValidationPipe.name, () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp([OrderController]);
  });

  afterAll(async () => {
    await app.close();
  });

  it('does answer 400 with one errors entry per invalid field, nested ones by dotted path', async () => {
    const response = await request(app.getHttpServer())
      .post('/orders')
      .send({
        quantity: 0,
        items: [
          { name: 'flour', unit: 'kg' },
          { name: 7, unit: 'ton' },
        ],
        extra: true,
      });

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      instance: '/orders',
    });
    expect(response.body.errors).toEqual([
      { field: 'extra', messages: ['property extra should not exist'] },
      { field: 'quantity', messages: ['quantity must not be less than 1'] },
      { field: 'items.1.name', messages: ['name must be a string'] },
      { field: 'items.1.unit', messages: ['unit must be one of the following values: kg, piece'] },
    ]);
    expect(response.body.detail).toContain('items.1.unit');
  });

  it('does pass a valid body on as an instance of the DTO', async () => {
    const order = { quantity: 2, items: [{ name: 'flour', unit: 'kg' }] };

    const response = await request(app.getHttpServer()).post('/orders').send(order);

    expect(response.status).toBe(201);
    expect(response.body).toEqual({ isDto: true, order });
  });

  it.each([
    [
      'an object nested 3000 deep (regression: the stack overflowed, 500)',
      `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`,
      'a.a.a.a.a',
    ],
    ['an array nested 3000 deep', `${'['.repeat(3000)}${']'.repeat(3000)}`, 'body'],
    [
      'NUL in a string (regression: it reached PostgreSQL, 500)',
      '{"item":{"name":"a\\u0000b","unit":"kg"}}',
      'item.name',
    ],
    [
      'a lone surrogate (regression: it reached PostgreSQL, 500)',
      '{"item":{"name":"a","unit":"kg"},"note":"\\ud800"}',
      'note',
    ],
    [
      'null for an optional field (regression: it passed and failed deeper)',
      '{"item":{"name":"a","unit":"kg"},"note":null}',
      'note',
    ],
    [
      'an array for an object (regression: author was replicated as an array)',
      '{"item":[{"name":"a","unit":"kg"}]}',
      'item',
    ],
    ['an array as the body', '[]', 'body'],
  ])('does answer 400 naming the field for %s', async (_case, body, field) => {
    const response = await request(app.getHttpServer())
      .post('/orders/notes')
      .set('Content-Type', 'application/json')
      .send(body);

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((response.body.errors as { field: string }[]).map((error) => error.field)).toContainEqual(
      expect.stringContaining(field),
    );
  });

  it.each([
    ['NUL in a path parameter', '/orders/a%00b', 'id'],
    ['NUL in a query parameter', '/orders/1?region=%00', 'region'],
    ['a query parameter given twice', '/orders/1?region=a&region=b', 'region'],
  ])('does answer 400 naming the parameter for %s', async (_case, path, field) => {
    const response = await request(app.getHttpServer()).get(path);

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field })]);
  });
});
