import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Tile } from '@codegouvfr/react-dsfr/Tile';
import { type ReactNode, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { sendJson } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';
import { ConfirmAction } from '../../app/ConfirmAction.tsx';
import { paths } from '../../app/routes.ts';
import { onboardingTexts } from '../onboarding/texts.ts';
import { type Tasks, tasksApi } from './api.ts';
import { mySpaceTexts as t } from './texts.ts';

interface Task {
  key: string;
  title: string;
  /** The figure shown large; the sentence (`desc`) says it in words for everyone. */
  count?: number;
  desc: ReactNode;
  to: string;
  /** Something waits: the tile is marked. */
  urgent?: boolean;
}

const date = (iso: string) => new Date(iso).toLocaleDateString('fr-FR');

/** A role's tasks: its heading and its tiles. */
function TaskSection({ id, title, tasks }: { id: string; title: string; tasks: Task[] }) {
  return (
    <section aria-labelledby={`tasks-${id}`}>
      <h2 id={`tasks-${id}`} className={fr.cx('fr-h4')}>
        {title}
      </h2>
      <TaskTiles label={title} tasks={tasks} />
    </section>
  );
}

/** One task: a DSFR tile whose title is the link, its figure in large type, then what it is. */
function TaskTiles({ tasks, label }: { tasks: Task[]; label: string }) {
  return (
    <ul className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-raw-list', 'fr-mb-4w')} aria-label={label}>
      {tasks.map((task) => (
        <li key={task.key} className={fr.cx('fr-col-12', 'fr-col-sm-6', 'fr-col-lg-3')} data-testid={`task-${task.key}`}>
          <Tile
            title={task.title}
            titleAs="h3"
            linkProps={{ to: task.to }}
            enlargeLinkOrButton
            orientation="vertical"
            className="my-space-tile"
            style={{ height: '100%' }}
            start={
              task.count !== undefined ? (
                <p className={fr.cx('fr-h2', 'fr-mb-0')} aria-hidden="true" data-testid="task-count">
                  {task.count.toLocaleString('fr-FR')}
                </p>
              ) : undefined
            }
            desc={task.desc}
            detail={task.urgent ? <Badge severity="new" small noIcon>À traiter</Badge> : undefined}
          />
        </li>
      ))}
    </ul>
  );
}

/** "Mon espace" as a task list for the person's roles (issue 17), from one call: GET /api/me/tasks. */
export function TaskList() {
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  const resource = useResource<Tasks>(`${tasksApi}?v=${version}`);
  const [last, setLast] = useState<Tasks | null>(null);
  if (resource.status === 'success' && resource.data !== last) setLast(resource.data);
  const data = resource.status === 'success' ? resource.data : last;

  if (resource.status === 'error') return <Alert className={fr.cx('fr-mb-3w')} severity="error" small description={resource.error.message} />;
  if (!data) return <p aria-live="polite">{t.loading}</p>;

  const sections: ReactNode[] = [];

  if (data.operator) {
    const o = data.operator;
    sections.push(
      <TaskSection key="operator" id="operator" title={t.operator.title} tasks={[
            { key: 'identities', title: t.operator.identities.title, count: o.identitiesToReview, desc: t.operator.identities.desc(o.identitiesToReview), to: paths.identityReviews, urgent: o.identitiesToReview > 0 },
            { key: 'contracts', title: t.operator.contracts.title, count: o.contractsToProcess, desc: t.operator.contracts.desc(o.contractsToProcess), to: paths.backOfficeContracts, urgent: o.contractsToProcess > 0 },
            { key: 'support', title: t.operator.support.title, count: o.openSupportRequests, desc: t.operator.support.desc(o.openSupportRequests), to: paths.backOfficeSupport, urgent: o.openSupportRequests > 0 },
          ]} />,
    );
  }

  if (data.register) {
    const r = data.register;
    sections.push(
      <section key="register" aria-labelledby="tasks-register">
        <h2 id="tasks-register" className={fr.cx('fr-h4')}>
          {t.register.title}
        </h2>
        <TaskTiles
          label={t.register.title}
          tasks={[
            { key: 'requests', title: t.register.requests.title, count: r.pendingRequests, desc: t.register.requests.desc(r.pendingRequests), to: paths.preregistrationQueue, urgent: r.pendingRequests > 0 },
            { key: 'drafts', title: t.register.drafts.title, count: r.drafts.total, desc: t.register.drafts.desc(r.drafts.total), to: paths.registerProfessional },
            { key: 'professionals', title: t.register.professionals.title, count: r.activeProfessionals, desc: t.register.professionals.desc(r.activeProfessionals), to: paths.professionals },
            { key: 'imports', title: t.register.imports.title, count: r.imports.total, desc: t.register.imports.desc(r.imports.total), to: paths.bulkImport },
          ]}
        />
        <div ref={noticeRef} tabIndex={-1} aria-live="polite">
          {notice && <Alert className={fr.cx('fr-mb-3w')} severity="success" small description={notice} closable onClose={() => setNotice(null)} />}
        </div>
        {r.drafts.latest.length > 0 && (
          <section aria-labelledby="enregistrements-en-cours" className={fr.cx('fr-mb-4w')}>
            <h3 id="enregistrements-en-cours" className={fr.cx('fr-h5')} tabIndex={-1}>
              {t.drafts.title}
            </h3>
            <ul className={fr.cx('fr-raw-list')} data-testid="my-drafts">
              {r.drafts.latest.map((d) => {
                const name = d.name ?? t.drafts.unnamed;
                return (
                  <li key={d.id} className={fr.cx('fr-grid-row', 'fr-grid-row--middle', 'fr-py-1w')} style={{ gap: '0.5rem 1rem', borderBottom: '1px solid var(--border-default-grey)' }}>
                    <span className="my-space-wrap" style={{ flex: '1 1 16rem' }}>
                      <strong>{name}</strong> — {t.drafts.steps(d.completedSteps)}, {t.drafts.updated(date(d.updatedAt))}
                    </span>
                    <span style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: '0.5rem' }}>
                      <Link className={fr.cx('fr-btn', 'fr-btn--sm', 'fr-btn--secondary')} to={`${paths.registerProfessional}?brouillon=${encodeURIComponent(d.id)}`}>
                        {t.drafts.resume}
                        <span className={fr.cx('fr-sr-only')}> — {name}</span>
                      </Link>
                      <ConfirmAction
                        id={`draft-${d.id}`}
                        label={t.drafts.remove}
                        srSuffix={name}
                        priority="tertiary"
                        size="small"
                        title={t.drafts.removeTitle}
                        consequence={<p>{t.drafts.removeConsequence}</p>}
                        confirmLabel={t.drafts.remove}
                        onConfirm={async () => {
                          await sendJson('DELETE', `/api/register/drafts/${encodeURIComponent(d.id)}`);
                          setNotice(t.drafts.removed);
                          setVersion((v) => v + 1);
                        }}
                        onDone={() => noticeRef.current?.focus()}
                      />
                    </span>
                  </li>
                );
              })}
            </ul>
            {r.drafts.total > r.drafts.latest.length && (
              <p className={fr.cx('fr-mt-2w')}>
                <Link className={fr.cx('fr-link')} to={paths.registerProfessional}>
                  {t.drafts.all}
                </Link>
              </p>
            )}
          </section>
        )}
        {r.imports.latest.length > 0 && (
          <section aria-labelledby="derniers-imports" className={fr.cx('fr-mb-4w')}>
            <h3 id="derniers-imports" className={fr.cx('fr-h5')} tabIndex={-1}>
              {t.imports.title}
            </h3>
            <div className={fr.cx('fr-table', 'fr-table--no-caption')}>
              <table data-testid="my-imports">
                <caption>{t.imports.caption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.imports.file}</th>
                    <th scope="col">{t.imports.date}</th>
                    <th scope="col">{t.imports.status}</th>
                    <th scope="col">{t.imports.result}</th>
                    <th scope="col">{t.imports.report}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.imports.latest.map((i) => (
                    <tr key={i.id}>
                      <td className="my-space-wrap">{i.fileName}</td>
                      <td>{date(i.createdAt)}</td>
                      <td>{t.imports.statuses[i.status]}</td>
                      <td>{t.imports.result_(i.imported, i.rejected, i.rows)}</td>
                      <td>
                        <a className={fr.cx('fr-link', 'fr-link--sm')} href={`/api/bulk-imports/${encodeURIComponent(i.id)}/report.csv`} download>
                          {t.imports.downloadShort}
                          <span className={fr.cx('fr-sr-only')}> — {t.imports.download(i.fileName)}</span>
                        </a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        )}
      </section>,
    );
  }

  for (const s of data.structures) {
    const title = s.name ?? `FINESS ${s.finess}`;
    const status = s.contractStatus ? (onboardingTexts.statuses[s.contractStatus] ?? s.contractStatus) : t.structures.contract.none;
    sections.push(
      <section key={`structure-${s.finess}`} aria-labelledby={`tasks-structure-${s.finess}`} data-testid={`tasks-structure-${s.finess}`}>
        <h2 id={`tasks-structure-${s.finess}`} className={fr.cx('fr-h4')}>
          <span className="my-space-wrap">{title}</span> <span className={fr.cx('fr-text--sm')}>(FINESS {s.finess})</span>
        </h2>
        {s.legalRepresentative && (
          <p>
            <Badge severity="info" small noIcon>
              {t.structures.rl}
            </Badge>
          </p>
        )}
        <TaskTiles
          label={title}
          tasks={[
            {
              key: 'habilitations',
              title: t.structures.habilitations.title,
              count: s.activeHabilitations,
              desc: (
                <>
                  {t.structures.habilitations.desc(s.activeHabilitations)}
                  {s.habilitationsEndingSoon > 0 && (
                    <>
                      <br />
                      {t.structures.habilitations.endingSoon(s.habilitationsEndingSoon)}
                    </>
                  )}
                </>
              ),
              to: paths.habilitations(s.finess),
              urgent: s.habilitationsEndingSoon > 0,
            },
            {
              key: 'contract',
              title: t.structures.contract.title,
              desc: (
                <>
                  {t.structures.contract.desc(status)}
                  {s.successionPending && (
                    <>
                      <br />
                      {t.structures.succession}
                    </>
                  )}
                </>
              ),
              to: s.contractStatus === 'active' ? paths.habilitations(s.finess) : paths.contractRequest,
            },
          ]}
        />
      </section>,
    );
  }

  if (data.professional) {
    const p = data.professional;
    sections.push(
      <TaskSection key="professional" id="professional" title={t.professional.title} tasks={[
            { key: 'record', title: t.professional.record.title, count: p.activeSituations, desc: t.professional.record.desc(p.activeSituations), to: paths.myRecord },
            { key: 'ecps', title: t.professional.ecps.title, desc: t.professional.ecps.desc[p.ecps], to: paths.ecpsActivation, urgent: p.ecps !== 'active' },
            { key: 'access', title: t.professional.access.title, desc: t.professional.access.desc, to: paths.myAccess },
            { key: 'my-requests', title: t.professional.requests.title, count: p.pendingContactChanges, desc: t.professional.requests.desc(p.pendingContactChanges), to: paths.myRecord, urgent: p.pendingContactChanges > 0 },
          ]} />,
    );
  }

  if (data.preregistration) {
    sections.push(
      <TaskSection key="preregistration" id="preregistration" title={t.preregistration.title} tasks={[{ key: 'preregistration', title: t.preregistration.title, desc: t.preregistration.statuses[data.preregistration.status ?? 'none'], to: paths.preregistration }]} />,
    );
  }

  return (
    <div data-testid="my-space-tasks">
      {sections.length === 0 ? <p>{t.nothing}</p> : sections}
    </div>
  );
}
