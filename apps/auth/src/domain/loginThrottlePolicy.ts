/** How many failed sign-ins are tolerated, per account and per client address, in one window. */
export interface LoginThrottlePolicy {
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  windowS: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottlePolicy = { maxFailuresPerAccount: 5, maxFailuresPerAddress: 20, windowS: 900 };
