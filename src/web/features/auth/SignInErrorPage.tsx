import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useSearchParams } from 'react-router-dom';
import { paths } from '../../app/routes.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { authTexts as t } from './texts.ts';

/** Where the server sends the browser when a sign-in fails (`?raison=<code>`): no session was opened. */
export function SignInErrorPage() {
  usePageTitle(t.error.pageTitle);
  const [params] = useSearchParams();
  const reason = params.get('raison') ?? 'failed';
  return (
    <>
      <h1>{t.error.title}</h1>
      <Alert
        as="h2"
        className={fr.cx('fr-mb-4w')}
        severity="error"
        title={t.error.reasons[reason] ?? t.error.reasons.failed!}
        description={t.error.noSession}
      />
      <Button linkProps={{ to: paths.signIn }} className={fr.cx('fr-mr-2w')}>
        {t.error.retry}
      </Button>
      <Button linkProps={{ to: paths.home }} priority="secondary">
        {t.error.home}
      </Button>
    </>
  );
}
