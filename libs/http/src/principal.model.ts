import type { Request } from 'express';

export const ROLES = [
  'his',
  'hr-bureau',
  'police-unit',
  'operator',
  'window-clerk',
  'case-officer',
  'finance-bureau',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

/** The verified caller of an HTTP request, from its bearer token's claims. */
export interface Principal {
  role: Role;
  region: string;
  org: string;
  sub?: string;
}

export interface AuthenticatedRequest extends Request {
  principal?: Principal;
}

/** Who acted, as audit logs, access reports and receipts name them: the person if known, else the organisation's role. */
export function actorOf(principal: Principal): string {
  return principal.sub ?? `${principal.org}:${principal.role}`;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
