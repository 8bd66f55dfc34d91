import type { FcIdentity, PscIdentity } from './identities.ts';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export const providerLabels = { psc: 'Pro Santé Connect', franceconnect: 'FranceConnect' } as const;

const style = `body{font-family:Marianne,Arial,sans-serif;margin:0;background:#f6f6f6;color:#161616}
main{max-width:46rem;margin:2rem auto;background:#fff;padding:2rem;border:1px solid #ddd}
.warning{background:#fff4f3;border-left:4px solid #ce0500;padding:.75rem 1rem;margin:1rem 0}
ul{list-style:none;padding:0}li{margin:.5rem 0}
button{font:inherit;width:100%;text-align:left;padding:.75rem 1rem;border:1px solid #000091;background:#fff;color:#000091;cursor:pointer}
button:hover,button:focus{background:#e3e3fd}
.desc{display:block;font-size:.875rem;color:#3a3a3a}.cancel{border-color:#666;color:#3a3a3a;margin-top:1rem}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${style}</style></head><body><main>${body}</main></body></html>`;
}

/** The login page of an embedded provider: one button per demo identity. */
export function loginPage(
  provider: 'psc' | 'franceconnect',
  action: string,
  abortAction: string,
  identities: Array<PscIdentity | FcIdentity>,
  extraForm = '',
): string {
  const items = identities
    .map((identity) => {
      const name =
        'idnps' in identity
          ? `${identity.givenName} ${identity.familyName} — ${identity.idnps}`
          : `${identity.given_name} ${identity.family_name}`;
      return `<li><button type="submit" name="identity" value="${escapeHtml(identity.key)}">${escapeHtml(name)}<span class="desc">${escapeHtml(identity.description)}</span></button></li>`;
    })
    .join('');
  return page(
    `Connexion — ${providerLabels[provider]} (démonstration)`,
    `<h1>${providerLabels[provider]} — fournisseur d’identité de démonstration</h1>
<p class="warning"><strong>Environnement de démonstration.</strong> Ce service imite ${providerLabels[provider]} : aucune vérification réelle d’identité n’est faite. Il ne doit jamais être activé en production.</p>
<form method="post" action="${escapeHtml(action)}"><fieldset><legend>Choisissez l’identité avec laquelle vous connecter</legend><ul>${items}</ul></fieldset></form>
${extraForm}<form method="post" action="${escapeHtml(abortAction)}"><button class="cancel" type="submit">Annuler et revenir au service</button></form>`,
  );
}

/** Sign-in with an activated e-CPS (professionals registered in RPPS+): identifier 8 + RPPS. */
export function ecpsLoginForm(action: string): string {
  return `<form method="post" action="${escapeHtml(action)}" class="ecps"><fieldset><legend>Ou connectez-vous avec votre e-CPS</legend>
<label for="ecps">Identifiant e-CPS (8 suivi de votre numéro RPPS)</label>
<input id="ecps" name="ecps" inputmode="numeric" autocomplete="username" required pattern="8[0-9]{11}" style="display:block;font:inherit;padding:.5rem;margin:.5rem 0;width:100%;box-sizing:border-box">
<button type="submit">Se connecter avec l’e-CPS<span class="desc">Démonstration : la validation dans l’application e-CPS est simulée.</span></button></fieldset></form>`;
}

export function messagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}

/** RP-initiated logout: confirmed automatically (the user already chose to log out in RPPS+). */
export function logoutPage(form: string): string {
  return page(
    'Déconnexion',
    `<h1>Déconnexion en cours…</h1>${form}<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Continuer</button>
<script>document.querySelector('button[name=logout]').click()</script>`,
  );
}
