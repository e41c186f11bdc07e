import { AffairsTables1795700000000 } from './1795700000000-affairs-tables';
import { AffairsCases1795700100000 } from './1795700100000-affairs-cases';

export const AFFAIRS_MIGRATIONS = [AffairsTables1795700000000, AffairsCases1795700100000];
