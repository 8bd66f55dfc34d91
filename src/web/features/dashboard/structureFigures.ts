import { dashboardTexts as t } from './texts.ts';

/** What the structure dashboard's key figures are computed from (`GET /api/dashboard/structures/{finess}`). */
export interface KeyFigureSource {
  activeByRole: Array<{ count: number }>;
  pendingRequests: { count: number; oldestDays: number | null };
  identitiesToVerify: number;
  ecps: { persons: number; active: number; rate: number | null };
}

export const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)} %`);

/**
 * The four tiles of the structure dashboard. "Professionnels actifs" counts persons, as the e-CPS
 * tile beside it does ("0 sur 13 professionnels"); a person working in two of the establishments
 * has two situations, which the charts by role and profession count, so the tile says both.
 */
export function structureKeyFigures(d: KeyFigureSource): Array<{ label: string; value: string | number; detail?: string }> {
  const situations = d.activeByRole.reduce((n, r) => n + r.count, 0);
  return [
    { label: t.figures.active, value: d.ecps.persons, detail: t.figures.activeSituations(situations) },
    { label: t.figures.pending, value: d.pendingRequests.count, detail: t.figures.oldest(d.pendingRequests.oldestDays) },
    { label: t.figures.toVerify, value: d.identitiesToVerify },
    { label: t.figures.ecps, value: percent(d.ecps.rate), detail: t.figures.ecpsOf(d.ecps.active, d.ecps.persons) },
  ];
}
