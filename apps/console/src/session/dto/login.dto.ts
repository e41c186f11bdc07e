import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ description: "An operator bearer token of the console's own region" })
  @IsString()
  @IsNotEmpty()
  @MaxLength(8192)
  token!: string;
}
