export interface PasswordHasher {
  /** A self-describing hash (algorithm, parameters, salt) of the password. */
  hash(password: string): Promise<string>;
  /** Compares in constant time; false (never a throw) for a malformed hash. */
  verify(password: string, hash: string): Promise<boolean>;
  /** True when the hash was made with weaker parameters than this hasher uses now. */
  needsRehash(hash: string): boolean;
}
