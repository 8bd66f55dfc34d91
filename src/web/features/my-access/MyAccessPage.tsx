import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useEffect } from 'react';
import { ApiError } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';
import { paths } from '../../app/routes.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { ProSanteConnectButton } from '../auth/ProSanteConnectButton.tsx';
import { refreshSession, signInUrl, useSession } from '../auth/session.ts';
import { formatDate, myAccessTexts as t } from './texts.ts';

/** GET /api/me/access (src/server/modules/access/schemas.ts `MyAccess`, or `{ registered: false }`). */
type MyAccessOrNone = MyAccess | { registered: false };
interface MyAccess {
  registered: true;
  rpps: string;
  idnps: string;
  ecps: { state: 'not-invited' | 'invited' | 'active' | 'suspended'; activatedAt: string | null };
  situations: Array<{
    egFiness: string;
    egName: string | null;
    professionLabel: string;
    roleCode: string;
    roleLabel: string;
    startDate: string;
    endDate: string | null;
    active: boolean;
  }>;
  roles: Array<{ code: string; label: string; documentTypes: Array<{ key: string; code: string | null; label: string }> }>;
  matrixVersion: { label: string; effectiveFrom: string };
  dmpOpening: { open: boolean; from: string | null };
  mssante: {
    eligible: boolean;
    reason: 'active-situation' | 'no-active-situation' | 'profession-not-entitled';
    structures: Array<{ egFiness: string; egName: string | null; roleCode: string }>;
  };
}

const severity = { active: 'success', suspended: 'error', invited: 'warning', 'not-invited': 'info' } as const;

/** The professional's own page: e-CPS, roles and readable DMP documents, MSSanté eligibility. */
export function MyAccessPage() {
  usePageTitle(t.title);
  const session = useSession();
  useEffect(() => {
    void refreshSession();
  }, []);
  const anonymous = session.status === 'ready' && session.session.kind !== 'person';
  const result = useResource<MyAccessOrNone>(session.status === 'ready' && !anonymous ? '/api/me/access' : null);
  const status = result.status === 'error' && result.error instanceof ApiError ? result.error.status : undefined;
  // Signed in, but no record carries this account (a staff member, a FranceConnect session): said as such, not "sign in".
  const noRecord = result.status === 'success' && !result.data.registered;

  return (
    <>
      <h1>{t.title}</h1>
      <p className={fr.cx('fr-text--lead')}>{t.lead}</p>
      {(session.status === 'loading' || result.status === 'loading') && <p role="status">{t.loading}</p>}
      {(anonymous || status === 401) && (
        <>
          <Alert as="h2" className={fr.cx('fr-mb-3w')} severity="info" title={t.signInTitle} description={t.notProfessional} />
          <ProSanteConnectButton url={signInUrl('psc', paths.myAccess)} />
        </>
      )}
      {noRecord && (
        <>
          <Alert as="h2" className={fr.cx('fr-mb-3w')} severity="info" title={t.noRecordTitle} description={t.noRecord} />
          <Button priority="secondary" linkProps={{ to: paths.mySpace }}>
            {t.mySpace}
          </Button>
        </>
      )}
      {result.status === 'error' && status !== 401 && <Alert severity="error" small description={result.error.message} />}
      {result.status === 'success' && result.data.registered && <Access data={result.data} />}
    </>
  );
}

function Access({ data }: { data: MyAccess }) {
  return (
    <>
      <section aria-labelledby="ecps-title" className={fr.cx('fr-mb-5w')}>
        <h2 id="ecps-title">{t.ecpsTitle}</h2>
        <dl>
          <dt className={fr.cx('fr-text--bold')}>{t.identifier}</dt>
          <dd>{data.idnps}</dd>
          <dt className={fr.cx('fr-text--bold')}>{t.rpps}</dt>
          <dd>{data.rpps}</dd>
        </dl>
        <Badge severity={severity[data.ecps.state]} data-testid="ecps-state">
          {t.states[data.ecps.state] ?? data.ecps.state}
        </Badge>
        {data.ecps.activatedAt && <p className={fr.cx('fr-mt-2w')}>{t.activatedOn(formatDate(data.ecps.activatedAt))}</p>}
        {(data.ecps.state === 'invited' || data.ecps.state === 'not-invited') && (
          <Button className={fr.cx('fr-mt-2w')} linkProps={{ to: `${paths.ecpsActivation}?identifiant=${data.idnps}` }}>
            {t.activate}
          </Button>
        )}
      </section>

      <section aria-labelledby="roles-title" className={fr.cx('fr-mb-5w')}>
        <h2 id="roles-title">{t.rolesTitle}</h2>
        {/* Seed 001: DMP consultation by professionals à rôle is still to come. */}
        {data.dmpOpening.open ? (
          data.dmpOpening.from && <p>{t.dmpOpenSince(formatDate(data.dmpOpening.from))}</p>
        ) : (
          <Alert severity="info" small className={fr.cx('fr-mb-2w')} data-testid="dmp-opening" description={t.dmpNotOpen(data.dmpOpening.from ? formatDate(data.dmpOpening.from) : null)} />
        )}
        <p>{t.matrix(data.matrixVersion.label, formatDate(data.matrixVersion.effectiveFrom))}</p>
        {data.roles.length === 0 && <Alert severity="warning" small description={t.noRole} />}
        {data.roles.map((role) => (
          <div key={role.code} className={fr.cx('fr-mb-3w')}>
            <h3 className={fr.cx('fr-h5')}>
              {role.label}
            </h3>
            <details>
              <summary>{t.documents(role.documentTypes.length)}</summary>
              <ul>
                {role.documentTypes.map((d) => (
                  <li key={d.key}>
                    {d.label}
                  </li>
                ))}
              </ul>
            </details>
          </div>
        ))}
      </section>

      <section aria-labelledby="situations-title" className={fr.cx('fr-mb-5w')}>
        <h2 id="situations-title">{t.situationsTitle}</h2>
        <div className={fr.cx('fr-table')}>
          {/* Scrolls sideways on a phone: focusable so that a keyboard scrolls it (axe scrollable-region-focusable). */}
          <table tabIndex={0}>
            <caption>{t.situationsCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.structure}</th>
                <th scope="col">{t.profession}</th>
                <th scope="col">{t.role}</th>
                <th scope="col">{t.dates}</th>
                <th scope="col">{t.status}</th>
              </tr>
            </thead>
            <tbody>
              {data.situations.map((s) => (
                <tr key={`${s.egFiness}-${s.startDate}-${s.roleCode}`}>
                  <td>
                    {s.egName ?? s.egFiness} (FINESS {s.egFiness})
                  </td>
                  <td>{s.professionLabel}</td>
                  <td>{s.roleLabel}</td>
                  <td>{t.from(formatDate(s.startDate), s.endDate ? formatDate(s.endDate) : null)}</td>
                  <td>{s.active ? t.active : t.inactive}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="mssante-title">
        <h2 id="mssante-title">{t.mssanteTitle}</h2>
        {data.mssante.eligible ? (
          <>
            <p data-testid="mssante">{t.mssanteEligible}</p>
            <p>{t.mssanteFrom}</p>
            <ul>
              {data.mssante.structures.map((s) => (
                <li key={s.egFiness}>
                  {s.egName ?? s.egFiness} (FINESS {s.egFiness})
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p data-testid="mssante">{data.mssante.reason === 'profession-not-entitled' ? t.mssanteNotEntitled : t.mssanteNotEligible}</p>
        )}
      </section>
    </>
  );
}
