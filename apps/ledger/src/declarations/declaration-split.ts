import { IndicatorAmountV1, IndicatorShareV1, LEDGER_INDICATORS } from '@app/contracts';
import { periodOrdinal, splitAmount } from '../split/split';
import { ProjectView } from '../projects/project.repository';

/**
 * Each city computes the split of a declaration itself, from the project's shares: per indicator, the fly-out city's
 * share then the fly-in city's, by largest remainder; ties rotate with the period and the indicator (see splitAmount).
 */
export function splitDeclaration(
  project: ProjectView,
  period: string,
  amounts: IndicatorAmountV1[],
): IndicatorShareV1[] {
  const parties = [
    { region: project.flyOut, weight: project.shares.flyOut },
    { region: project.flyIn, weight: project.shares.flyIn },
  ];
  return amounts.flatMap(({ indicator, amountFen }) => {
    const shares = splitAmount(
      BigInt(amountFen),
      parties,
      periodOrdinal(period) + LEDGER_INDICATORS.indexOf(indicator),
    );
    return parties.map((party, i) => ({ indicator, region: party.region, amountFen: shares[i].toString() }));
  });
}

export function sameSplit(a: readonly IndicatorShareV1[], b: readonly IndicatorShareV1[]): boolean {
  const key = (shares: readonly IndicatorShareV1[]) =>
    shares
      .map((s) => `${s.indicator}/${s.region}/${s.amountFen}`)
      .sort()
      .join(',');
  return key(a) === key(b);
}
