import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@app/http';
import { BookingQueriesService } from './booking-queries.service';
import { BookingsService } from './bookings.service';
import { BookingRequestDto, SlotPublishDto } from './dto/booking.dto';
import { SlotsService } from './slots.service';

@ApiTags('booking')
@ApiBearerAuth()
@Roles('his')
@Controller()
export class BookingController {
  constructor(
    private readonly slots: SlotsService,
    private readonly bookings: BookingsService,
    private readonly queries: BookingQueriesService,
  ) {}

  @Post('slots')
  @ApiOperation({ summary: 'Publish a bookable slot of a hospital of this city (broadcast to the peers)' })
  publishSlot(@CurrentPrincipal() principal: Principal, @Body() body: SlotPublishDto) {
    return this.slots.publish(principal, body);
  }

  @Delete('slots/:slotId')
  @ApiOperation({ summary: 'Withdraw a slot of the caller’s hospital' })
  withdrawSlot(@CurrentPrincipal() principal: Principal, @Param('slotId', ParseUUIDPipe) slotId: string) {
    return this.slots.withdraw(principal, slotId);
  }

  @Get('slots')
  @ApiQuery({ name: 'region', required: false })
  @ApiOperation({ summary: 'Upcoming slots of this city and of the peers' })
  listSlots(@Query('region') region?: string) {
    return this.queries.listSlots(region);
  }

  @Post('bookings')
  @ApiOperation({ summary: 'Book a slot of another city: pending until that city confirms or rejects' })
  book(@CurrentPrincipal() principal: Principal, @Body() body: BookingRequestDto) {
    return this.bookings.request(principal, body);
  }

  @Get('bookings/:bookingId')
  @ApiOperation({ summary: 'A booking: pending, confirmed, rejected, expired or cancelled' })
  getBooking(@CurrentPrincipal() principal: Principal, @Param('bookingId', ParseUUIDPipe) bookingId: string) {
    return this.queries.getBooking(principal, bookingId);
  }

  @Post('bookings/:bookingId/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a booking; the place is given back to the slot’s city' })
  cancel(@CurrentPrincipal() principal: Principal, @Param('bookingId', ParseUUIDPipe) bookingId: string) {
    return this.bookings.cancel(principal, bookingId);
  }
}
