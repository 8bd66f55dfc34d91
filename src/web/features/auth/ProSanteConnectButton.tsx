import './auth.css';
import { fr } from '@codegouvfr/react-dsfr';
import { authTexts as t } from './texts.ts';

/**
 * The Pro Santé Connect button. A plain link (full-page navigation to the server route that
 * redirects to the provider), like the DSFR FranceConnect button.
 */
export function ProSanteConnectButton({ url }: { url: string }) {
  return (
    <div className={fr.cx('fr-mb-3w')}>
      <a className="psc-button" href={url}>
        <span className="psc-button__mark" aria-hidden="true">
          PSC
        </span>
        {t.signIn.psc}
      </a>
      <p className={fr.cx('fr-mt-1w', 'fr-text--sm')}>
        <a
          href="https://industriels.esante.gouv.fr/produits-et-services/pro-sante-connect"
          target="_blank"
          rel="noopener noreferrer"
          title={`${t.signIn.pscHelp} - nouvelle fenêtre`}
        >
          {t.signIn.pscHelp}
        </a>
      </p>
    </div>
  );
}
