import { useEffect, useState } from 'react';
import { ApiError, getJson, isAbort, NetworkError } from './client.ts';

export type Resource<T> =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'success'; data: T }
  | { status: 'error'; error: ApiError | NetworkError };

/**
 * Loads `url` (nothing when null) and re-loads when it changes; an older answer arriving late
 * is dropped (the request is aborted), so the screen always shows the current query.
 */
export function useResource<T>(url: string | null): Resource<T> {
  const [state, setState] = useState<{ url: string | null; resource: Resource<T> }>({ url: null, resource: { status: 'idle' } });

  useEffect(() => {
    if (url === null) return;
    const controller = new AbortController();
    getJson<T>(url, { signal: controller.signal }).then(
      (data) => setState({ url, resource: { status: 'success', data } }),
      (err: unknown) => {
        if (isAbort(err)) return;
        const error = err instanceof ApiError || err instanceof NetworkError ? err : new NetworkError(String(err));
        setState({ url, resource: { status: 'error', error } });
      },
    );
    return () => controller.abort();
  }, [url]);

  if (url === null) return { status: 'idle' };
  // Until the answer for this very URL arrives, we are loading (no stale results on screen).
  return state.url === url ? state.resource : { status: 'loading' };
}
