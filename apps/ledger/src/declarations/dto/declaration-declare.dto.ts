import { PickType } from '@nestjs/swagger';
import { LedgerDeclarationV1 } from '@app/contracts';

/** The host city's figures of a project and period; `corrects` names the period's last version when correcting it. */
export class DeclarationDeclareDto extends PickType(LedgerDeclarationV1, [
  'projectId',
  'period',
  'amounts',
  'corrects',
] as const) {}
