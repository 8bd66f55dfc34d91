import { type ComponentType, lazy } from 'react';

/** A page of a feature module as its own chunk (named export → the default `React.lazy` expects). */
export function lazyPage<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}
