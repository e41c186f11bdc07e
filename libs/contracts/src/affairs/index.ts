import { AFFAIRS_CATALOGUE_PUBLISHED_V1, AffairsCataloguePublishedV1 } from './catalogue.v1';

export * from './catalogue.v1';
export * from './common';

export const AFFAIRS_EVENT_TYPES = {
  [AFFAIRS_CATALOGUE_PUBLISHED_V1]: AffairsCataloguePublishedV1,
} as const;
