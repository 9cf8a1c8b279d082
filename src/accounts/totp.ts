import { createHash, randomBytes } from 'node:crypto';
import { authenticator } from 'otplib';
import QRCode from 'qrcode';

/** Time-based one-time passwords (RFC 6238, 30-second steps, 6 digits) and recovery codes. */

export function newTotpSecret(): string {
  return authenticator.generateSecret(20);
}

export interface TotpEnrolment {
  secret: string;
  uri: string;
  /** The URI as an SVG QR code, inline in the page (no request leaves the Directory). */
  qrSvg: string;
}

export async function totpEnrolment(secret: string, issuer: string, email: string): Promise<TotpEnrolment> {
  const uri = authenticator.keyuri(email, issuer, secret);
  const qrSvg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return { secret, uri, qrSvg };
}

/** The time step the code belongs to when it is valid now (one step of clock drift either way), else undefined. */
export async function matchTotp(secret: string, code: string, now = new Date()): Promise<number | undefined> {
  if (!/^\d{6}$/.test(code)) return undefined;
  try {
    const delta = authenticator.clone({ epoch: now.getTime(), window: 1 }).checkDelta(code, secret);
    return delta === null ? undefined : currentTotpStep(now) + delta;
  } catch {
    return undefined;
  }
}

export function currentTotpStep(now = new Date()): number {
  return Math.floor(now.getTime() / 1000 / 30);
}

/** Ten single-use codes in the form abcd-efgh, for when the authenticator is lost. */
export function newRecoveryCodes(count = 10): string[] {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(8);
    const chars = [...bytes].map((byte) => alphabet[byte % alphabet.length]).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4)}`;
  });
}

/** Recovery codes are random and long enough that a fast hash suffices; stored hashed only. */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(code.trim().toLowerCase()).digest('hex');
}

export const isRecoveryCodeShape = (code: string): boolean => /^[a-z0-9]{4}-[a-z0-9]{4}$/i.test(code.trim());
