import { fr } from '@codegouvfr/react-dsfr';
import { Link } from 'react-router-dom';
import { myRecordTexts as t } from './texts.ts';

/** "Mon espace" of a registered professional: the three things he comes to do, as a task list. */
export function ProfessionalHome() {
  return (
    <section aria-labelledby="pro-home-title" className={fr.cx('fr-mb-4w')}>
      <h2 id="pro-home-title" className={fr.cx('fr-h4')}>
        {t.homeTitle}
      </h2>
      <ul className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-raw-list')}>
        {t.homeTasks.map((task) => (
          <li key={task.to} className={fr.cx('fr-col-12', 'fr-col-md-4')}>
            <div className={fr.cx('fr-tile', 'fr-enlarge-link')}>
              <div className={fr.cx('fr-tile__body')}>
                <div className={fr.cx('fr-tile__content')}>
                  <h3 className={fr.cx('fr-tile__title')}>
                    <Link to={task.to}>{task.title}</Link>
                  </h3>
                  <p className={fr.cx('fr-tile__desc')}>{task.desc}</p>
                </div>
              </div>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
