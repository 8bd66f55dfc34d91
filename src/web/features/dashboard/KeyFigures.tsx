import { fr } from '@codegouvfr/react-dsfr';
import { Tile } from '@codegouvfr/react-dsfr/Tile';
import type { ReactNode } from 'react';

export interface KeyFigure {
  label: string;
  value: string | number;
  detail?: ReactNode;
}

/** The key figures of a dashboard: one DSFR tile each (title = what is counted, then the figure in large type). */
export function KeyFigures({ figures }: { figures: KeyFigure[] }) {
  return (
    <ul className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-raw-list', 'fr-mb-4w')}>
      {figures.map((f) => (
        <li key={f.label} className={fr.cx('fr-col-12', 'fr-col-sm-6', 'fr-col-lg-3')}>
          <Tile
            title={f.label}
            titleAs="h3"
            noIcon
            orientation="vertical"
            className={fr.cx('fr-tile--sm')}
            style={{ height: '100%' }}
            desc={<span className={fr.cx('fr-h2', 'fr-mb-0')} style={{ display: 'block' }}>{f.value}</span>}
            detail={f.detail}
          />
        </li>
      ))}
    </ul>
  );
}
