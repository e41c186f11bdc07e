import { AffairsTables1795700000000 } from './1795700000000-affairs-tables';
import { AffairsCases1795700100000 } from './1795700100000-affairs-cases';
import { AffairsLicences1795700200000 } from './1795700200000-affairs-licences';
import { AffairsRatings1795700300000 } from './1795700300000-affairs-ratings';

export const AFFAIRS_MIGRATIONS = [
  AffairsTables1795700000000,
  AffairsCases1795700100000,
  AffairsLicences1795700200000,
  AffairsRatings1795700300000,
];
