/** nice-grpc aborts handlers with an AbortError when the client cancels or the deadline passes. */
export const isAbortError = (err: unknown): boolean => err instanceof Error && err.name === 'AbortError';
