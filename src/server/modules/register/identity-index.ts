import { birthDateSlips, matchIdentity } from './duplicates.ts';
import { type IdentityTraits, identityKey, nameKey } from './names.ts';

/**
 * The identities met so far in one file (a bulk import), to find the first earlier one that
 * `matchIdentity` calls the same person — the same answer as trying every earlier identity born
 * on the date or one slip away, in that order, without trying them all (issue 18: at 100,000 rows
 * over 18,000 birth dates that was 50 `matchIdentity` calls a row and most of the check's time).
 *
 * The rule stays `matchIdentity`'s: this only skips identities it cannot match. Born the same day:
 * all are tried (a few a date). Born on a slip date: `matchIdentity` asks for a family name with
 * the same `nameKey`, so only those sharing one are tried.
 */
export class IdentityIndex<T> {
  private readonly exact = new Map<string, T>();
  private readonly byDate = new Map<string, Entry<T>[]>();
  /** Family name key → birth date → identities. */
  private readonly byFamilyAndDate = new Map<string, Map<string, Entry<T>[]>>();
  private seq = 0;

  add(identity: IdentityTraits, value: T): void {
    const key = identityKey(identity);
    if (!this.exact.has(key)) this.exact.set(key, value);
    const entry = { seq: this.seq++, identity, value };
    push(this.byDate, identity.birthDate, entry);
    for (const family of familyKeys(identity)) {
      let byDate = this.byFamilyAndDate.get(family);
      if (!byDate) this.byFamilyAndDate.set(family, (byDate = new Map()));
      push(byDate, identity.birthDate, entry);
    }
  }

  /** The first identity added that `matchIdentity` matches with `identity` (exact first), or undefined. */
  find(identity: IdentityTraits): T | undefined {
    const exact = this.exact.get(identityKey(identity));
    if (exact !== undefined) return exact;
    for (const other of this.byDate.get(identity.birthDate) ?? []) {
      if (matchIdentity(identity, other.identity) !== null) return other.value;
    }
    // Most names of a file are met once: one lookup per family name, then its slip dates.
    const families = familyKeys(identity).flatMap((f) => this.byFamilyAndDate.get(f) ?? []);
    if (families.length === 0) return undefined;
    for (const date of birthDateSlips(identity.birthDate)) {
      const lists = families.flatMap((byDate) => byDate.get(date) ?? []);
      // Several family names may find the same identity: tried once, in the order added.
      const tried = lists.length > 1 ? [...new Map(lists.map((e) => [e.seq, e])).values()].sort((a, b) => a.seq - b.seq) : lists;
      for (const other of tried) {
        if (matchIdentity(identity, other.identity) !== null) return other.value;
      }
    }
    return undefined;
  }
}

interface Entry<T> {
  seq: number;
  identity: IdentityTraits;
  value: T;
}

function push<T>(map: Map<string, T[]>, key: string, value: T) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const familyKeys = (t: IdentityTraits) => [...new Set([t.birthName, ...(t.usageName ? [t.usageName] : [])].map(nameKey))];
