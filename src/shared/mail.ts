import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config';
import { logger } from './logger';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Language of the message, for the Content-Language header. */
  language?: string;
  /** A stable Message-ID (e.g. derived from a delivery id), so a resent copy is recognisable as the same message. */
  messageId?: string;
  /** Further headers, e.g. `List-Unsubscribe` on a message people subscribed to. */
  headers?: Record<string, string>;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string; response: string }>;
}

/**
 * Sends through the configured SMTP server. Without one (development only) messages are written to
 * the log in full, so a person trying the Directory can follow invitation and reset links.
 */
export function createMailer(config: Pick<Config, 'SMTP_URL' | 'MAIL_FROM'>): Mailer {
  const transport: Transporter = config.SMTP_URL ? nodemailer.createTransport(config.SMTP_URL) : nodemailer.createTransport({ jsonTransport: true });
  return {
    async send(mail) {
      const info = await transport.sendMail({
        from: config.MAIL_FROM,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: mail.language || mail.headers ? { ...(mail.language ? { 'Content-Language': mail.language } : {}), ...mail.headers } : undefined,
      });
      if (!config.SMTP_URL) logger.info({ to: mail.to, subject: mail.subject, text: mail.text }, 'mail (no SMTP_URL set: not sent, logged here)');
      return { messageId: String(info.messageId), response: String(info.response ?? '') };
    },
  };
}
