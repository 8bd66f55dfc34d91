/**
 * oidc-provider storage for the embedded providers: in memory, per process (sign-ins in progress
 * are lost at restart; RPPS+ sessions are not, they live in the database). Declared explicitly so
 * oidc-provider does not warn about its quick-start adapter at every start.
 */
type Payload = Record<string, unknown> & { uid?: string; userCode?: string; grantId?: string; consumed?: number };

const stores = new Map<string, Map<string, { payload: Payload; expiresAt: number }>>();

export class MemoryAdapter {
  private readonly store: Map<string, { payload: Payload; expiresAt: number }>;
  constructor(name: string) {
    this.store = stores.get(name) ?? new Map();
    stores.set(name, this.store);
  }

  private live(id: string | undefined) {
    if (id === undefined) return undefined;
    const entry = this.store.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.store.delete(id);
      return undefined;
    }
    return entry.payload;
  }

  async upsert(id: string, payload: Payload, expiresIn: number) {
    this.store.set(id, { payload, expiresAt: Date.now() + expiresIn * 1000 });
  }
  async find(id: string) {
    return this.live(id);
  }
  async findByUid(uid: string) {
    for (const [id, e] of this.store) if (e.payload.uid === uid) return this.live(id);
    return undefined;
  }
  async findByUserCode(userCode: string) {
    for (const [id, e] of this.store) if (e.payload.userCode === userCode) return this.live(id);
    return undefined;
  }
  async consume(id: string) {
    const payload = this.live(id);
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id: string) {
    this.store.delete(id);
  }
  async revokeByGrantId(grantId: string) {
    for (const [id, e] of this.store) if (e.payload.grantId === grantId) this.store.delete(id);
  }
}
