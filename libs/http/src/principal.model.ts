import type { Request } from 'express';

export const ROLES = ['his', 'hr-bureau', 'police-unit', 'operator'] as const;
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

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
