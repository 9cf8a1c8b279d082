import { z } from 'zod';

/** Inputs of the sign-in forms, parsed before the service sees them. */

/** A path on this site only: no scheme, no host, no protocol-relative `//`, no backslash tricks. */
export const returnToSchema = z
  .string()
  .max(500)
  .refine((value) => /^\/(?![/\\])[^\s\\]*$/.test(value), 'a path on this site')
  .optional()
  .catch(undefined);

export const signInForm = z.object({
  email: z.string().trim().toLowerCase().min(1, 'Enter your e-mail address').max(254).email('Enter an e-mail address such as name@example.org'),
  password: z.string().min(1, 'Enter your password').max(200),
  returnTo: returnToSchema,
});

export const codeForm = z.object({
  code: z
    .string()
    .trim()
    .min(1, 'Enter the code from your authenticator app, or a recovery code')
    .max(20)
    .regex(/^(\d{3}\s?\d{3}|[a-z0-9]{4}-[a-z0-9]{4})$/i, 'Enter the 6-digit code, or a recovery code such as abcd-efgh'),
});
