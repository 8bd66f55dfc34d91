import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Card } from '@codegouvfr/react-dsfr/Card';
import { Table } from '../../app/Table.tsx';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';
import { formatPhone } from '../../app/format.ts';
import { paths } from '../../app/routes.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { useSession } from '../auth/session.ts';
import { contractRequestFor } from '../onboarding/api.ts';
import { type StructureDetail, structureUrl } from './api.ts';
import { StructureBadges } from './StructureBadges.tsx';
import { formatDate, structureTexts } from './texts.ts';

const t = structureTexts.detail;

export function StructureDetailPage() {
  const { finess = '' } = useParams();
  const result = useResource<StructureDetail>(structureUrl(finess));

  usePageTitle(
    result.status === 'success'
      ? `${result.data.name} (${structureTexts.finessLabel(result.data.finess)})`
      : result.status === 'error'
        ? errorTitle(result.error)
        : t.loading,
  );

  const current = result.status === 'success' ? result.data.name : structureTexts.finessLabel(finess);

  return (
    <>
      <Breadcrumb
        currentPageLabel={current}
        homeLinkProps={{ to: paths.home }}
        segments={[{ label: t.breadcrumbSearch, linkProps: { to: paths.structures } }]}
      />
      {result.status === 'loading' && (
        <p role="status" className={fr.cx('fr-mb-6w')}>
          {t.loading}
        </p>
      )}
      {result.status === 'error' && (
        <>
          <h1>{errorTitle(result.error)}</h1>
          <Alert severity="error" small description={result.error.message} className={fr.cx('fr-mb-4w')} />
          <Button linkProps={{ to: paths.structures }} priority="secondary" iconId="fr-icon-arrow-left-line">
            {t.backToSearch}
          </Button>
        </>
      )}
      {result.status === 'success' && <StructureView structure={result.data} />}
    </>
  );
}

function errorTitle(error: Error): string {
  if (error instanceof ApiError && error.status === 404) return t.notFoundTitle;
  if (error instanceof ApiError && error.status === 400) return t.invalidTitle;
  return t.errorTitle;
}

function StructureView({ structure: s }: { structure: StructureDetail }) {
  const rows: Array<[string, ReactNode]> = [
    [t.finess, s.finess],
    [t.kind, structureTexts.kind[s.kind]],
    [t.category, s.categoryLabel ? `${s.categoryLabel}${s.categoryCode ? ` (${s.categoryCode})` : ''}` : null],
    [t.legalStatus, s.legalStatusLabel],
    [t.siret, s.siret],
    [t.siren, s.siren],
    [t.address, [s.addressLine, [s.postalCode, s.city].filter(Boolean).join(' ')].filter(Boolean).join(', ') || null],
    [t.phone, s.phone ? formatPhone(s.phone) : null],
    [t.openedOn, formatDate(s.openedOn)],
    [t.closedOn, formatDate(s.closedOn)],
    [t.updatedOn, formatDate(s.finessUpdatedOn)],
  ];
  const shown = rows.filter(([label, value]) => (value !== null && value !== '') || label === t.finess);

  return (
    <>
      <StructureBadges structure={s} />
      <h1 className={fr.cx('fr-mt-2w')}>{s.name}</h1>
      {s.longName && s.longName !== s.name && <p className={fr.cx('fr-text--lead')}>{s.longName}</p>}

      <section aria-labelledby="identity-title" className={fr.cx('fr-mb-6w')}>
        <h2 id="identity-title">{t.identity}</h2>
        <dl className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
          {shown.map(([label, value]) => (
            <div key={label} className={fr.cx('fr-col-12', 'fr-col-sm-6', 'fr-col-lg-4')}>
              <dt className={fr.cx('fr-text--bold', 'fr-mb-0')}>{label}</dt>
              <dd className={fr.cx('fr-m-0', 'fr-p-0')}>{value ?? structureTexts.notProvided}</dd>
            </div>
          ))}
        </dl>
        <p className={fr.cx('fr-text--sm', 'fr-mt-2w')}>{t.fixFiness}</p>
      </section>

      <Membership structure={s} />

      {s.kind === 'EG' && s.ej && (
        <section aria-labelledby="ej-title" className={fr.cx('fr-mb-6w')}>
          <h2 id="ej-title">{t.ejTitle}</h2>
          <div className={fr.cx('fr-grid-row')}>
            <div className={fr.cx('fr-col-12', 'fr-col-md-6')}>
              <Card
                title={s.ej.name}
                titleAs="h3"
                size="small"
                enlargeLink
                linkProps={{ to: paths.structure(s.ej.finess) }}
                start={<StructureBadges structure={s.ej} />}
                detail={structureTexts.finessLabel(s.ej.finess)}
                desc={[s.ej.postalCode, s.ej.city].filter(Boolean).join(' ')}
                border
              />
            </div>
          </div>
        </section>
      )}

      {s.kind === 'EJ' && (
        <section aria-labelledby="eg-title" className={fr.cx('fr-mb-6w')}>
          <h2 id="eg-title">{t.establishmentsTitle(s.establishments.length)}</h2>
          {s.establishments.length > 0 && (
            <Table
              caption={t.establishmentsCaption}
              noCaption
              headers={[t.columns.finess, t.columns.name, t.columns.category, t.columns.city, t.columns.status, t.membership.column]}
              data={s.establishments.map((e) => [
                e.finess,
                <Link key={e.finess} to={paths.structure(e.finess)}>
                  {e.name}
                </Link>,
                e.categoryLabel ?? structureTexts.notProvided,
                [e.postalCode, e.city].filter(Boolean).join(' '),
                structureTexts.status[e.status],
                s.rppsPlus.status === 'joined' || s.rppsPlus.joinedEstablishments.includes(e.finess) ? t.membership.joinedCell : t.membership.notJoinedCell,
              ])}
            />
          )}
        </section>
      )}
    </>
  );
}

const m = t.membership;
const badgeSeverity = { joined: 'success', partial: 'info', pending: 'new', 'not-joined': undefined } as const;

/**
 * Has the structure joined RPPS+ (issue 17)? Everyone sees the answer and how to join; a person
 * signed in with Pro Santé Connect may ask for a structure not yet covered, through the contract
 * request pre-filled with its FINESS number; its représentant légal, once joined, manages it.
 * Public data only: nothing about the people of the contract.
 */
function Membership({ structure: s }: { structure: StructureDetail }) {
  const session = useSession();
  const person = session.status === 'ready' && session.session.kind === 'person' ? session.session : undefined;
  const r = s.rppsPlus;
  const entity = r.through === 'eg' ? s.finess : (s.ejFiness ?? s.finess);
  const isRl = person?.roles.some((role) => role.role === 'legal_representative' && (role.egFiness ?? role.ejFiness) === entity) ?? false;
  const text =
    r.status === 'joined'
      ? s.kind === 'EJ'
        ? m.joinedEj
        : r.through === 'eg'
          ? m.joinedOwn
          : m.joinedThroughEj
      : r.status === 'partial'
        ? m.partial(r.joinedEstablishments.length)
        : r.status === 'pending'
          ? m.pending
          : m.notJoined;

  return (
    <section aria-labelledby="membership-title" className={fr.cx('fr-mb-6w')} data-testid="membership">
      <h2 id="membership-title">{m.title}</h2>
      <p className={fr.cx('fr-mb-1w')}>
        <Badge severity={badgeSeverity[r.status]} noIcon={r.status === 'not-joined'}>
          {m.badge[r.status]}
        </Badge>
      </p>
      <p>
        {text}
        {r.status === 'not-joined' && !r.canRequest && s.status === 'closed' && ` ${m.closed}`}
      </p>
      {r.status === 'joined' && isRl && (
        <Button linkProps={{ to: paths.habilitations(entity) }} priority="secondary">
          {m.manage}
        </Button>
      )}
      {r.canRequest && (
        <>
          <p className={fr.cx('fr-text--sm')}>{m.howTo}</p>
          {person?.provider === 'psc' ? (
            <Button linkProps={{ to: contractRequestFor(s.finess) }} iconId="fr-icon-file-add-line">
              {m.request}
            </Button>
          ) : person ? (
            <p className={fr.cx('fr-text--sm')}>{m.pscNeeded}</p>
          ) : (
            <Button linkProps={{ to: `${paths.signIn}?retour=${encodeURIComponent(contractRequestFor(s.finess))}` }} iconId="fr-icon-account-circle-line">
              {m.signInToRequest}
            </Button>
          )}
        </>
      )}
    </section>
  );
}
