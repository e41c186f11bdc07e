import { IsCreditCode } from '@app/contracts';

export class CreditCodeParamDto {
  @IsCreditCode()
  creditCode!: string;
}
