// A model's probability as every page shows it (the C twin is
// src/base/chance.h; both write the same text for the same value): a whole
// percentage, "93%", that never claims a certainty the model does not have. A
// value that rounds to 100% is ">99%" and one that rounds to 0% is "<1%" (1
// and 0 themselves too); anything not a finite number is "—". The rule is for
// model probabilities only (a chance of meeting a requirement, of a role, of
// coverage, of being the best hire, a fit): plain shares of counts or weights
// ("12 of 40 = 30%", the share of a posting measured, a test's progress) stay
// plain percentages. The text reads the same in every language of the
// catalogues, so it takes none.
export function chance(p) {
  if (typeof p !== 'number' || !Number.isFinite(p)) return '—';
  const r = Math.round(100 * p);
  return r >= 100 ? '>99%' : r <= 0 ? '<1%' : `${r}%`;
}
