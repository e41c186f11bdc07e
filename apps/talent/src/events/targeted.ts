import { BusContext } from '@app/bus';

/**
 * Requests and answers are addressed to one region. The bus delivers directed events only to their target; this
 * check keeps that true where a directed event still reaches other regions (a topic they all read).
 */
export function isForThisRegion(context: BusContext, region: string): boolean {
  const target = context.event['target'];
  return target === undefined || target === region;
}
