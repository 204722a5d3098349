/** `target` whose `method` rejects while `isDown()` says so, as it would with its server unreachable. */
export function failingWhile<T extends object>(target: T, method: keyof T, isDown: () => boolean): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      if (property === method && isDown()) return () => Promise.reject(new Error('server unreachable'));
      return Reflect.get(object, property, receiver) as unknown;
    },
  });
}
