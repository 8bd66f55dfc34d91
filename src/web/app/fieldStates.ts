/**
 * DSFR field props from the API's field errors (or the form's own checks): `{...field('email')}`
 * puts a field in its error state with the message under it.
 */
export function fieldStates<K extends string>(errors: Partial<Record<K, string>>) {
  return (name: K) => ({ state: errors[name] ? ('error' as const) : ('default' as const), stateRelatedMessage: errors[name] });
}
