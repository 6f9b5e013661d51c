/** A real SMTP server on 127.0.0.1 (smtp-server) that records mail and can fail on purpose. */
import { createServer as createTcpServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

/** A message as received: the envelope and the parsed content. */
interface ReceivedMail {
  from: string;
  rcptTo: string[];
  mail: ParsedMail;
  raw: string;
}

/** Options of {@link startSmtp}. */
export interface SmtpScript {
  /** Reply to the n-th DATA (1-based): undefined accepts; a code and text fails it. */
  data?: (n: number) => { code: number; text: string } | undefined;
  /** Refuse RCPT TO for addresses this returns true for (550). */
  refuse?: (address: string) => boolean;
  /** Require this login. */
  auth?: { user: string; pass: string } | undefined;
}

function smtpError(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

export async function startSmtp(script: SmtpScript = {}) {
  const received: ReceivedMail[] = [];
  let dataCount = 0;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: script.auth ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    authOptional: !script.auth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === script.auth?.user && auth.password === script.auth?.pass) callback(null, { user: auth.username });
      else callback(smtpError(535, "5.7.8 Authentication credentials invalid"));
    },
    onRcptTo(address, _session, callback) {
      if (script.refuse?.(address.address)) callback(smtpError(550, `5.1.1 <${address.address}>: Recipient address rejected: User unknown`));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const n = ++dataCount;
        const fail = script.data?.(n);
        if (fail) return callback(smtpError(fail.code, fail.text));
        const raw = Buffer.concat(chunks).toString("utf8");
        simpleParser(raw).then(
          (mail) => {
            received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", rcptTo: session.envelope.rcptTo.map((r) => r.address), mail, raw });
            callback();
          },
          (e: unknown) => callback(e instanceof Error ? e : new Error(String(e))),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    get dataCount() {
      return dataCount;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A TCP server that accepts connections and never says anything (no SMTP greeting). */
export async function startSilent() {
  const sockets = new Set<Socket>();
  const server = createTcpServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
