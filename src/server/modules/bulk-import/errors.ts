import { DomainError, type FieldError } from '../../errors.ts';

export class BulkFileTooLargeError extends DomainError {
  constructor(limit: number) {
    super('bulk-import-too-large', 413, `Le fichier dépasse la taille maximale autorisée (${Math.max(1, Math.round(limit / 1024 / 1024))} Mo). Découpez-le en plusieurs fichiers.`, [
      { pointer: '/body/file', detail: 'Fichier trop volumineux.' },
    ]);
  }
}

export class BulkTooManyRowsError extends DomainError {
  constructor(limit: number) {
    super('bulk-import-too-many-rows', 413, `Le fichier dépasse le nombre maximal de lignes (${limit}). Découpez-le en plusieurs fichiers.`, [
      { pointer: '/body/file', detail: `${limit} lignes au plus.` },
    ]);
  }
}

export class BulkFileUnreadableError extends DomainError {
  constructor(detail: string) {
    super('bulk-import-unreadable', 422, detail, [{ pointer: '/body/file', detail }]);
  }
}

const forbiddenDetail = {
  person: 'Vous n’êtes pas gestionnaire d’un établissement de cette entité juridique.',
  key: 'Cette clé d’API n’est pas rattachée à cette entité juridique : elle n’importe que dans la sienne.',
  'no-eg': 'Cette entité juridique n’a aucun établissement où importer.',
} as const;

/**
 * The caller may register in no EG of this EJ (policy `eg.register`), worded for who asked: a
 * person, an API key bound to another EJ, or a caller with the whole scope (no EG in this EJ).
 */
export class BulkImportForbiddenError extends DomainError {
  constructor(refused: keyof typeof forbiddenDetail = 'person') {
    super('bulk-import-forbidden', 403, forbiddenDetail[refused]);
  }
}

/** Rows name EG outside the actor's scope: the whole file is refused before any write. */
export class BulkOutOfScopeError extends DomainError {
  constructor(errors: FieldError[]) {
    super('eg-out-of-scope', 403, 'Des lignes du fichier désignent un établissement hors de votre périmètre : aucune ligne n’a été importée.', errors);
  }
}

export class BulkNothingToImportError extends DomainError {
  constructor() {
    super('bulk-import-empty', 422, 'Aucune ligne valide à importer : corrigez le fichier d’après le rapport.');
  }
}

export class BulkImportNotFoundError extends DomainError {
  constructor() {
    super('bulk-import-not-found', 404, 'Aucun import ne porte cet identifiant dans votre périmètre.');
  }
}
