// Email over SMTP with nodemailer: one message per notification to the saved recipients. `security` is how
// the connection is protected: `tls` from the first byte (usually port 465), `starttls` upgraded and required
// (usually 587), `none` in clear (a local relay only; the password then travels unprotected).
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { DeliveryError } from './http.js';
import { plainText, type Message } from './messages.js';

export type SmtpSecurity = 'tls' | 'starttls' | 'none';
export const SMTP_SECURITY: readonly SmtpSecurity[] = ['tls', 'starttls', 'none'];
export const DEFAULT_SMTP_PORT: Record<SmtpSecurity, number> = { tls: 465, starttls: 587, none: 25 };

export interface SmtpSettings {
  host: string;
  port: number;
  security: SmtpSecurity;
  user: string | null;
  /** Null: no password saved, or the saved one is not for this host and port. */
  password: string | null;
  from: string;
  /** One or more addresses. */
  to: string[];
}

export function smtpTransportOptions(smtp: SmtpSettings, timeoutMs: number): SMTPTransport.Options {
  return {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ignoreTLS: smtp.security === 'none',
    auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    // Nodemailer's own logging stays off: it would print the conversation, credentials included.
    logger: false,
    debug: false,
  };
}

export function emailMessage(smtp: SmtpSettings, message: Message): SMTPTransport.MailOptions {
  return {
    from: smtp.from,
    to: smtp.to.join(', '),
    subject: `[Sagewire] ${message.title}`,
    text: `${plainText(message)}\n`,
    headers: { 'X-Sagewire-Kind': message.kind },
  };
}

export async function sendEmail(smtp: SmtpSettings, message: Message, timeoutMs: number): Promise<void> {
  const transport = nodemailer.createTransport(smtpTransportOptions(smtp, timeoutMs));
  try {
    await transport.sendMail(emailMessage(smtp, message));
  } catch (err) {
    throw new DeliveryError(smtpProblem(err));
  } finally {
    transport.close();
  }
}

/** Nodemailer's error as a sentence: its code and the server's reply code, never the conversation. */
function smtpProblem(err: unknown): string {
  const e = err as { code?: string; responseCode?: number; message?: string };
  switch (e.code) {
    case 'EAUTH':
      return `the server refused the user name or password${e.responseCode ? ` (${e.responseCode})` : ''}`;
    case 'ETIMEDOUT':
      return 'no answer from the mail server in time';
    case 'ECONNECTION':
    case 'ESOCKET':
      return `could not connect to the mail server (${e.code})`;
    case 'ETLS':
      return 'the mail server offers no TLS (choose another security setting)';
    case 'EENVELOPE':
      return `the server refused the sender or a recipient${e.responseCode ? ` (${e.responseCode})` : ''}`;
    default:
      return `the mail server refused the message${e.responseCode ? ` (${e.responseCode})` : e.code ? ` (${e.code})` : ''}`;
  }
}
