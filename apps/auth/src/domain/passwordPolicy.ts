import { NewPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@uitgo/contracts';

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH };

/**
 * What is wrong with a newly chosen password, empty when it is acceptable. The gateway checks
 * the same policy on the REST body; this is the service's own check for callers that skip it.
 */
export function passwordPolicyViolations(password: string): string[] {
  const result = NewPassword.safeParse(password);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
}
