import { DomainError, NotFoundError } from '../../errors.ts';

export class InvalidFinessError extends DomainError {
  constructor(reason: 'format' | 'key', detail: string, pointer = '/params/finess') {
    super(reason === 'key' ? 'finess-invalid-key' : 'finess-invalid-format', 400, detail, [{ pointer, detail }]);
  }
}

export class StructureNotFoundError extends NotFoundError {
  constructor(finess: string) {
    super(`Aucune structure ne porte le numéro FINESS ${finess}.`, 'structure-not-found');
  }
}
