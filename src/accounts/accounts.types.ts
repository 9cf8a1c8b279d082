import { z } from 'zod';
import type { UnLanguage } from '../directory/directory.types';
import type { Role } from '../shared/viewer';

/** Whether an account may sign in; the user model takes its list from `.options`. */
export const userStatus = z.enum(['active', 'disabled']);
export type UserStatus = z.infer<typeof userStatus>;

/** A user as the rest of the Directory sees one: never the password hash or the TOTP secret. */
export interface AccountUser {
  id: string;
  email: string;
  name: string;
  institution?: string;
  role: Role;
  states: string[];
  status: UserStatus;
  language: UnLanguage;
  totpEnabled: boolean;
  recoveryCodesLeft: number;
  sessionEpoch: number;
  lastSignInAt?: Date;
  createdAt: Date;
  sample: boolean;
}

/** Roles that hold other States' or everyone's restricted data must use a second factor. */
export const ROLES_REQUIRING_TOTP: readonly Role[] = ['focal-point', 'secretariat'];
