import { Body, Controller, INestApplication, Post } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsIn, IsInt, IsString, Min, ValidateNested } from 'class-validator';
import request from 'supertest';
import { Public } from './auth.decorators';
import { createTestApp } from './test-app.fixture';
import { createValidationPipe } from './validation.pipe';

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

@Controller('orders')
@Public()
class OrderController {
  @Post()
  create(@Body() order: OrderDto): { isDto: boolean; order: OrderDto } {
    return { isDto: order instanceof OrderDto, order };
  }
}

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
});
