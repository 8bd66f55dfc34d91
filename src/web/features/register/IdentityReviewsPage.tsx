import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { useState } from 'react';
import { sendJson } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { type IdentityReview, registerApi } from './api.ts';
import { formatDate, registerTexts } from './texts.ts';

const t = registerTexts.reviews;

/** ANS operator: the identities the verifier could not confirm, with the decision. */
export function IdentityReviewsPage() {
  usePageTitle(t.pageTitle);
  const [version, setVersion] = useState(0);
  const list = useResource<{ total: number; items: IdentityReview[] }>(`${registerApi}/identity-reviews?page=1&v=${version}`);
  return (
    <>
      <h1>{t.title}</h1>
      <p className={fr.cx('fr-text--lead')}>{t.lead}</p>
      {list.status === 'loading' && <p aria-live="polite">{t.loading}</p>}
      {list.status === 'error' && <Alert as="h2" severity="error" title={t.errorTitle} description={list.error.message} />}
      {list.status === 'success' && list.data.items.length === 0 && <Alert severity="info" small description={t.empty} />}
      {list.status === 'success' && (
        <ul className={fr.cx('fr-raw-list')}>
          {list.data.items.map((r) => (
            <ReviewItem key={r.rpps} review={r} onDecided={() => setVersion((v) => v + 1)} />
          ))}
        </ul>
      )}
    </>
  );
}

function ReviewItem({ review: r, onDecided }: { review: IdentityReview; onDecided: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const decide = async (decision: 'verified' | 'rejected') => {
    setError(null);
    try {
      await sendJson('POST', `${registerApi}/identity-reviews/${r.rpps}/decision`, { decision, reason });
      onDecided();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const id = `review-${r.rpps}`;
  return (
    <li className={fr.cx('fr-mb-4w', 'fr-p-2w')} style={{ border: '1px solid var(--border-default-grey)' }} aria-labelledby={id}>
      <h2 id={id} className={fr.cx('fr-h6')}>
        RPPS {r.rpps} — {r.birthName}
        {r.usageName ? ` (${r.usageName})` : ''} {r.firstNames.join(' ')}
      </h2>
      <p>
        {formatDate(r.birthDate)} — {r.birthCommuneCode ? (r.birthCommuneName ?? r.birthCommuneCode) : [r.birthPlace, r.birthCountryLabel ?? r.birthCountryCode].filter(Boolean).join(', ')} — {r.sexe === 'F' ? 'Femme' : r.sexe === 'M' ? 'Homme' : r.sexe}
      </p>
      <ul>
        {r.reasons.map((x) => (
          <li key={x.code}>{x.label}</li>
        ))}
      </ul>
      {r.hasIdentityDocument ? (
        <p>
          {/* Each opening is recorded in the audit trail (issue 15). */}
          <a className={fr.cx('fr-link')} href={`/api/register/identity-reviews/${r.rpps}/identity-document`} target="_blank" rel="noopener" title={`${t.identityDocument} — ${t.newWindow}`}>
            {t.identityDocument}
          </a>
        </p>
      ) : (
        <p className={fr.cx('fr-text--sm')}>{t.noIdentityDocument}</p>
      )}
      {error && <Alert severity="error" small description={error} className={fr.cx('fr-mb-2w')} />}
      <Input label={t.reason} nativeInputProps={{ value: reason, onChange: (e) => setReason(e.target.value) }} />
      <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-sm')}>
        <li>
          <Button onClick={() => void decide('verified')}>{t.verify}</Button>
        </li>
        <li>
          <Button priority="secondary" onClick={() => void decide('rejected')}>
            {t.reject}
          </Button>
        </li>
      </ul>
    </li>
  );
}
