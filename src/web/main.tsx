import { startReactDsfr } from '@codegouvfr/react-dsfr/spa';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

startReactDsfr({ defaultColorScheme: 'system' });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <main id="contenu">RPPS+</main>
  </StrictMode>,
);
