import { fr } from '@codegouvfr/react-dsfr';
import { Select } from '@codegouvfr/react-dsfr/Select';
import type { Resource } from '../../api/useResource.ts';
import type { CodeList } from '../register/api.ts';
import { preregistrationTexts } from './texts.ts';

/** A situation field chosen from a nomenclature (profession, role), on the professional's request and on the gestionnaire's decision. */
export function CodeSelect({ label, name, value, onChange, list, error }: { label: string; name: string; value: string; onChange: (value: string) => void; list: Resource<CodeList>; error: string | undefined }) {
  const items = list.status === 'success' ? list.data.items : [];
  return (
    <div className={fr.cx('fr-fieldset__element')}>
      <Select label={label} state={error ? 'error' : 'default'} stateRelatedMessage={error} nativeSelectProps={{ name, value, onChange: (v) => onChange(v.target.value) }}>
        <option value="">{preregistrationTexts.form.choose}</option>
        {items.map((c) => (
          <option key={c.code} value={c.code}>
            {c.label}
          </option>
        ))}
      </Select>
    </div>
  );
}
