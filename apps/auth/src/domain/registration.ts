import { RegisterBody, validationDetails, type FieldIssue } from '@uitgo/contracts';

export type Registration = RegisterBody;

export type RegistrationCheck = { ok: true; registration: Registration } | { ok: false; fields: FieldIssue[] };

/**
 * Normalises a sign-up (trimmed, lowercased email) and checks every field with the same
 * schema as the REST body (password policy included), for callers that skip the gateway.
 * Only passengers and drivers sign up; admins come from configuration.
 */
export function checkRegistration(input: {
  email: string;
  password: string;
  fullName: string;
  phone?: string | undefined;
  role: string;
}): RegistrationCheck {
  const parsed = RegisterBody.safeParse({
    email: input.email,
    password: input.password,
    fullName: input.fullName,
    ...(input.phone === undefined || input.phone === '' ? {} : { phone: input.phone }),
    role: input.role,
  });
  if (!parsed.success) return { ok: false, fields: validationDetails(parsed.error).fields };
  return { ok: true, registration: parsed.data };
}
