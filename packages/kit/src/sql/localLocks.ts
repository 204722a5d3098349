import type { SqlLock } from './sqlDatabase.js';

/**
 * Locks for an embedded database, which only this process opens: a set of held names per
 * database instance (services sharing one PGlite share its set).
 */
const heldByInstance = new WeakMap<object, Set<string>>();

export function tryLocalLock(instance: object, key: string): SqlLock | undefined {
  let held = heldByInstance.get(instance);
  if (!held) heldByInstance.set(instance, (held = new Set()));
  if (held.has(key)) return undefined;
  held.add(key);
  let released = false;
  return {
    isHeld: async () => !released,
    async release() {
      released = true;
      held.delete(key);
    },
  };
}
