import { hash, verify } from '@node-rs/argon2';

/** argon2id with the library's defaults (OWASP's recommended minimum: m=19 MiB, t=2, p=1). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// Verified when no account matches, so a wrong e-mail costs as long as a wrong password
let decoyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  try {
    const ok = await verify(passwordHash ?? (await (decoyHash ??= hash(`decoy-${Math.random()}`))), password);
    return passwordHash !== undefined && ok;
  } catch {
    return false;
  }
}

export type PasswordProblemCode = 'too-short' | 'too-long' | 'repeated';

/** At least 12 characters and not all one kind; length matters more than composition (NIST SP 800-63B). */
export function passwordProblemCode(password: string): PasswordProblemCode | undefined {
  if (password.length < 12) return 'too-short';
  if (password.length > 200) return 'too-long';
  if (/^(.)\1+$/.test(password)) return 'repeated';
  return undefined;
}

