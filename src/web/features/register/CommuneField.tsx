import { fr } from '@codegouvfr/react-dsfr';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { useEffect, useState } from 'react';
import { withQuery } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';
import { type Commune, communeLabel } from './communeLabel.ts';
import { registerTexts } from './texts.ts';

const t = registerTexts.wizard.etatCivil;

/**
 * Birth commune: the user types a name, chooses among the communes that existed on the birth
 * date, each shown with its INSEE code and department (guide ANS: "choisie parmi des candidats").
 */
export function CommuneField(props: { value: string; label: string; birthDate: string; error?: string; onChange: (code: string, label: string) => void }) {
  const [q, setQ] = useState(props.label);
  // A restored draft names its commune once the referential answers: the field follows.
  useEffect(() => setQ(props.label), [props.label]);
  const query = q.trim().length >= 2 && q !== props.label ? withQuery('/api/communes', { q: q.trim(), on: /^\d{4}-\d{2}-\d{2}$/.test(props.birthDate) ? props.birthDate : undefined, limit: 10 }) : null;
  const result = useResource<{ items: Commune[] }>(query);
  const option = (c: Commune) => t.communeOption(c.name, c.inseeCode, c.departmentCode, c.kind !== 'current' && c.kind !== 'arrondissement');
  return (
    <div className={fr.cx('fr-mb-3w')}>
      <Input
        label={t.commune}
        hintText={t.communeHint}
        state={props.error ? 'error' : 'default'}
        stateRelatedMessage={props.error}
        nativeInputProps={{ id: 'birthCommune', name: 'birthCommune', value: q, autoComplete: 'off', type: 'search', onChange: (e) => setQ(e.target.value) }}
      />
      {props.value && q === props.label && <p className={fr.cx('fr-text--sm')} aria-live="polite">{t.communeChosen(props.label)}</p>}
      {result.status === 'success' && result.data.items.length === 0 && <p aria-live="polite">{t.communeNone}</p>}
      {result.status === 'success' && result.data.items.length > 0 && (
        <RadioButtons
          legend={t.communeResults}
          name="birthCommuneCode"
          options={result.data.items.map((c) => ({
            label: option(c),
            nativeInputProps: {
              value: c.inseeCode,
              checked: props.value === c.inseeCode,
              onChange: () => {
                const label = communeLabel(c);
                props.onChange(c.inseeCode, label);
                setQ(label);
              },
            },
          }))}
        />
      )}
    </div>
  );
}
