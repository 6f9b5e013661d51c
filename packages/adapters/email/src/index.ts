/**
 * @ruleflow/email: deliver Ruleflow notifications as email over SMTP (nodemailer).
 *
 * @packageDocumentation
 */
export { createEmailNotifier, isPermanentSmtpError } from "./notifier.js";
export type { EmailNotifier, EmailNotifierOptions, MailTransport, SmtpOptions } from "./notifier.js";
export { BUILTIN_EMAIL_TEMPLATE, createEmailRenderer } from "./message.js";
export type { EmailTemplate, RenderedEmail } from "./message.js";
export type { EmailDeadLetter, EmailFailure } from "./dead-letter.js";
