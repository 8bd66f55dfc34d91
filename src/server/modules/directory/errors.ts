import { DomainError, NotFoundError } from '../../errors.ts';

export class InvalidCursorError extends DomainError {
  constructor() {
    super('directory-invalid-cursor', 400, 'Curseur non valide : reprenez avec la valeur « next » de la réponse précédente.', [
      { pointer: '/query/since', detail: 'Entier positif attendu.' },
    ]);
  }
}

export class InvalidSearchCursorError extends DomainError {
  constructor() {
    super('directory-invalid-cursor', 400, 'Curseur non valide : reprenez avec la valeur « next » de la réponse précédente.', [
      { pointer: '/query/after', detail: 'Valeur « next » d’une réponse précédente attendue.' },
    ]);
  }
}

export class PractitionerNotPublishedError extends NotFoundError {
  constructor() {
    super('Aucun professionnel publié ne porte ce numéro RPPS.', 'directory-practitioner-not-found');
  }
}

export class ExtractionNotFoundError extends NotFoundError {
  constructor() {
    super('Aucun fichier d’extraction ne porte cet identifiant (les plus anciens sont supprimés).', 'directory-extraction-not-found');
  }
}
