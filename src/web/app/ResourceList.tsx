import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import type { ReactNode, Ref } from 'react';
import type { Resource } from '../api/useResource.ts';

/** What an action of a back-office list reports (ended, approved, refused, or its error). */
export interface ActionOutcome {
  severity: 'success' | 'error';
  text: string;
}

/**
 * The polite live region above a list where its actions report their outcome. With `ref`, it can
 * take the focus (after a confirmation modal closes, the outcome is where the focus lands).
 */
export function ActionMessage({ message, className, ref }: { message: ActionOutcome | undefined; className?: string; ref?: Ref<HTMLDivElement> }) {
  return (
    <div aria-live="polite" className={className} ref={ref} tabIndex={ref ? -1 : undefined} style={ref ? { outline: 'none' } : undefined}>
      {message && <Alert className={fr.cx('fr-mb-3w')} severity={message.severity} small description={message.text} />}
    </div>
  );
}

/**
 * A list loaded from the API with its states (STYLE.md §11): the error, "loading" (announced),
 * the empty text, then `children` with the items (a table, cards).
 */
export function ResourceList<T>({ resource, loading, empty, children }: { resource: Resource<T[]>; loading: string; empty: string; children: (items: T[]) => ReactNode }) {
  if (resource.status === 'error') return <Alert severity="error" small description={resource.error.message} />;
  if (resource.status !== 'success') return <p aria-live="polite">{loading}</p>;
  if (resource.data.length === 0) return <p>{empty}</p>;
  return <>{children(resource.data)}</>;
}
