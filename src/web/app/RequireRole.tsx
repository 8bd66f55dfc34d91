import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Outlet } from 'react-router-dom';
import { useSession } from '../features/auth/session.ts';
import { menuAudience } from './navigation.ts';
import { paths } from './routes.ts';
import { appTexts } from './texts.ts';
import { usePageTitle } from './usePageTitle.ts';

const t = appTexts.reserved;

/**
 * The pages of one audience (inside RequireSignIn): the register's pages for those who register
 * (gestionnaires, RL, ANS operators), the national ones for ANS operators. Anyone else is told at
 * once that the page is not for him, as the menu does not offer it, instead of a page that asks
 * the API and shows its refusal (a failed request in the browser's console). The server decides
 * every answer anyway.
 */
export function RequireRole({ audience }: { audience: 'registers' | 'operator' }) {
  const state = useSession();
  const who = menuAudience(state.status === 'ready' ? state.session : undefined);
  if (state.status !== 'ready' || who[audience]) return <Outlet />;
  return <Reserved detail={t.detail[audience]} />;
}

function Reserved({ detail }: { detail: string }) {
  usePageTitle(t.title);
  return (
    <>
      <h1>{t.title}</h1>
      <Alert as="h2" severity="info" title={t.lead} description={detail} className={fr.cx('fr-mb-3w')} />
      <Button priority="secondary" linkProps={{ to: paths.mySpace }}>
        {t.mySpace}
      </Button>
    </>
  );
}
