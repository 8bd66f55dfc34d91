import { fr } from '@codegouvfr/react-dsfr';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import type { StructureSummary } from './api.ts';
import { structureTexts as t } from './texts.ts';

export function StructureBadges({ structure }: { structure: Pick<StructureSummary, 'kind' | 'status'> }) {
  return (
    <ul className={fr.cx('fr-badges-group')}>
      <li>
        <Badge small severity={structure.kind === 'EJ' ? 'new' : 'info'} noIcon>
          {t.kind[structure.kind]}
        </Badge>
      </li>
      {structure.status === 'closed' && (
        <li>
          <Badge small severity="error">
            {t.status.closed}
          </Badge>
        </li>
      )}
    </ul>
  );
}
