/**
 * The event codes the audit log writes, Auth0's where Auth0 has one (its "Log Event Type Codes"),
 * each with Auth0's name for it. docs/audit-log.md lists them all; a test keeps the two in step.
 */
export const logTypes = {
  s: 'Success Login',
  f: 'Failed Login',
  fp: 'Failed Login (Incorrect Password)',
  fu: 'Failed Login (Invalid Email/Username)',
  limit_wc: 'Blocked Account',
  limit_mu: 'Blocked IP Address',
  ss: 'Success Signup',
  fs: 'Failed Signup',
  slo: 'Success Logout',
  seacft: 'Success Exchange (Authorization Code for Access Token)',
  feacft: 'Failed Exchange (Authorization Code for Access Token)',
  fertft: 'Failed Exchange (Refresh Token for Access Token)',
  ferrt: 'Failed Exchange (Reused Refresh Token)',
  seccft: 'Success Exchange (Client Credentials for Access Token)',
  feccft: 'Failed Exchange (Client Credentials for Access Token)',
  /** Warden's own: Auth0 has no code for it (it shows consent as a step of the `s` entry). */
  consent_granted: 'Consent Granted',
  sapi: 'Success API Operation',
  fapi: 'Failed API Operation',
} as const;

export type LogType = keyof typeof logTypes;
