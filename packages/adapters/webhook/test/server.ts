/** A scripted HTTP receiver on 127.0.0.1 for the webhook tests. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request as received. */
export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  at: number;
}

/** What to do with one request: answer with a status and body, or hang until the client gives up. */
export type Reply = { status: number; body?: string; headers?: Record<string, string> } | "hang";

/** Start a server; `reply(req, n)` decides the answer to the n-th request (1-based). */
export async function startReceiver(reply: (req: Received, n: number) => Reply | Promise<Reply>) {
  const received: Received[] = [];
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r: Received = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
      received.push(r);
      Promise.resolve(reply(r, received.length)).then(
        (answer) => {
          if (answer === "hang") {
            open.add(res);
            res.on("close", () => open.delete(res));
            return;
          }
          res.writeHead(answer.status, { "content-type": "text/plain", ...answer.headers });
          res.end(answer.body ?? "");
        },
        (e: unknown) => {
          // a reply function that fails is a broken test: answer 500 and say why
          res.writeHead(500, { "content-type": "text/plain" });
          res.end(String(e));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on: bind one, then close it. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
