import { AffairsTables1795700000000 } from './1795700000000-affairs-tables';

export const AFFAIRS_MIGRATIONS = [AffairsTables1795700000000];
