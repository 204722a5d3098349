/**
 * `signal` is the caller's deadline: an implementation that queues work drops a job still
 * waiting when it aborts (rejecting it) rather than spend a hash on an answer nobody reads.
 */
export interface PasswordHasher {
  /** A self-describing hash (algorithm, parameters, salt) of the password. */
  hash(password: string, signal?: AbortSignal): Promise<string>;
  /** Compares in constant time; false (never a throw) for a malformed hash. */
  verify(password: string, hash: string, signal?: AbortSignal): Promise<boolean>;
  /** True when the hash was made with weaker parameters than this hasher uses now. */
  needsRehash(hash: string): boolean;
}
