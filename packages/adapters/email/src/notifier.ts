/** The email notifier: one message per notification, over SMTP with nodemailer. */
import { createHash } from "node:crypto";
import { PermanentDeliveryError, type Notification, type Notifier } from "@ruleflow/engine";
import type { DeadLetterOptions, DeliveryFailure } from "@ruleflow/engine/workflow";
import { createTransport } from "nodemailer";
import { createEmailDeadLetters, type EmailDeadLetter } from "./dead-letter.js";
import { BUILTIN_EMAIL_TEMPLATE, createEmailRenderer, type EmailTemplate } from "./message.js";

/** What the notifier needs of a nodemailer transporter (`nodemailer.createTransport(...)`). */
export interface MailTransport {
  sendMail(mail: Record<string, unknown>): Promise<{ messageId?: string; accepted?: unknown[]; rejected?: unknown[] }>;
  close?(): void;
}

/** SMTP settings, passed to `nodemailer.createTransport` (any of its SMTP options may be added). */
export interface SmtpOptions {
  host: string;
  port?: number | undefined;
  /** TLS from the start (port 465). Default false: STARTTLS when the server offers it. */
  secure?: boolean | undefined;
  auth?: { user: string; pass: string } | undefined;
  /** Keep connections open and reuse them. Default true. */
  pool?: boolean | undefined;
  /** ms to wait for a connection. Default 10000. */
  connectionTimeout?: number | undefined;
  /** ms to wait for the greeting after connecting. Default 10000. */
  greetingTimeout?: number | undefined;
  /** ms of inactivity before the socket is given up. Default 30000. */
  socketTimeout?: number | undefined;
  [option: string]: unknown;
}

/** Options of {@link createEmailNotifier}. */
export interface EmailNotifierOptions extends DeadLetterOptions<EmailDeadLetter> {
  /** SMTP settings, or a ready nodemailer transporter. */
  transport: SmtpOptions | MailTransport;
  /** The sender, `"Ruleflow <noreply@example.com>"`. */
  from: string;
  /** Ruleflow user id -> email address (sync or async); `undefined` skips the user. */
  address: (userId: string, notification: Notification) => string | undefined | Promise<string | undefined>;
  /** Emails by notification template name. */
  templates?: Readonly<Record<string, EmailTemplate>> | undefined;
  /** The email for template names not in `templates`. Default {@link BUILTIN_EMAIL_TEMPLATE}. */
  defaultTemplate?: EmailTemplate | undefined;
  /** Put the recipients in `to` (default; they see each other) or `bcc`. */
  recipientsIn?: "to" | "bcc" | undefined;
  /** Extra headers for every message. */
  headers?: Readonly<Record<string, string>> | undefined;
}

/** A {@link Notifier} for email, plus its dead letters and a way to close the SMTP pool. */
export interface EmailNotifier extends Notifier {
  deadLetter(notification: Notification, failure: DeliveryFailure): Promise<void>;
  /** The most recent dead letters, oldest first. */
  readonly deadLetters: readonly EmailDeadLetter[];
  /** Close pooled SMTP connections (only those this notifier opened). */
  close(): void;
}

/** SMTP failures: reply codes 5xx and envelope/message errors are permanent; 4xx, connection errors and timeouts are not. */
export function isPermanentSmtpError(e: unknown): boolean {
  const err = e as { responseCode?: unknown; code?: unknown };
  if (typeof err.responseCode === "number") return err.responseCode >= 500;
  return err.code === "EENVELOPE" || err.code === "EMESSAGE" || err.code === "EAUTH";
}

function messageId(key: string, from: string): string {
  const domain = /@([^\s>]+)/.exec(from)?.[1] ?? "ruleflow.invalid";
  return `<${createHash("sha256").update(key).digest("hex").slice(0, 32)}@${domain}>`;
}

/**
 * Create a notifier that sends each notification as one email over SMTP
 * (nodemailer). Recipients are the notification's resolved user ids, turned
 * into addresses by `address`; subject, text and HTML come from the template
 * for the notification's template name.
 *
 * The Message-ID is derived from the idempotency key, and the key is sent as
 * `X-Ruleflow-Idempotency-Key`, so a retried message can be recognised.
 * A 5xx SMTP reply, a message nobody can receive (no address resolved, every
 * recipient refused) or failed authentication throws a
 * `PermanentDeliveryError`: the engine marks it dead at once. 4xx replies,
 * connection failures and timeouts throw a plain error: the engine's outbox
 * retries later. There are no retries inside one call: a retry is a new
 * outbox attempt.
 *
 * @param options - SMTP transport, sender, address resolver, templates
 * @returns the notifier to pass as `createEngine({ notifier })`
 *
 * @example
 * ```ts
 * const notifier = createEmailNotifier({
 *   transport: { host: "smtp.example.com", port: 587, auth: { user: "ruleflow", pass: process.env.SMTP_PASS! } },
 *   from: "Ruleflow <noreply@example.com>",
 *   address: (userId) => users.get(userId)?.email,
 *   templates: {
 *     "approval-requested": {
 *       subject: "Please approve {{data.input.customer.name}}",
 *       text: "Instance {{instanceId}} waits for you at {{data.node}}.",
 *       html: "<p>Instance <b>{{instanceId}}</b> waits for you at {{data.node}}.</p>",
 *     },
 *   },
 * });
 * ```
 * @see docs/notifications.md
 */
export function createEmailNotifier(options: EmailNotifierOptions): EmailNotifier {
  const box = createEmailDeadLetters(options, "createEmailNotifier"); // checks its options before a transport exists
  const owned = !("sendMail" in options.transport);
  const transport: MailTransport = owned
    ? createTransport({ pool: true, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000, ...(options.transport as SmtpOptions) })
    : (options.transport as MailTransport);
  const render = createEmailRenderer(options.templates ?? {}, options.defaultTemplate ?? BUILTIN_EMAIL_TEMPLATE);
  const field = options.recipientsIn ?? "to";

  return {
    get deadLetters() {
      return box.letters;
    },
    async send(n) {
      const addresses: string[] = [];
      for (const user of new Set(n.recipients)) {
        const a = await options.address(user, n);
        if (a === undefined || a === "") continue;
        if (/[\r\n]/.test(a)) throw new PermanentDeliveryError(`the address for ${user} contains a line break; fix the address resolver`);
        if (!addresses.includes(a)) addresses.push(a);
      }
      if (addresses.length === 0) {
        box.failed(n.idempotencyKey, { to: [] });
        throw new PermanentDeliveryError(`no email address for ${n.recipients.length ? n.recipients.join(", ") : `"${n.to}" (it resolved to no users)`}; check the address resolver`);
      }
      const mail = render(n);
      try {
        await transport.sendMail({
          from: options.from,
          [field]: addresses,
          subject: mail.subject,
          ...(mail.text !== undefined ? { text: mail.text } : {}),
          ...(mail.html !== undefined ? { html: mail.html } : {}),
          messageId: messageId(n.idempotencyKey, options.from),
          headers: { ...options.headers, "X-Ruleflow-Idempotency-Key": n.idempotencyKey, "X-Ruleflow-Instance": n.instanceId },
        });
        box.delivered(n.idempotencyKey);
      } catch (e) {
        const err = e as { responseCode?: number; response?: string; message?: string };
        box.failed(n.idempotencyKey, { to: addresses, responseCode: err.responseCode, response: err.response });
        const message = `SMTP delivery of "${n.template}" to ${addresses.join(", ")} failed: ${err.message ?? String(e)}`;
        if (isPermanentSmtpError(e)) throw new PermanentDeliveryError(`${message}; not retried`, { cause: e });
        throw new Error(message, { cause: e });
      }
    },
    async deadLetter(n, failure) {
      await box.dead(n, failure);
    },
    close() {
      if (owned) transport.close?.();
    },
  };
}
