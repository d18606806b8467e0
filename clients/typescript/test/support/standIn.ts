import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A small HTTP server on 127.0.0.1 standing in for Handoff (or for what sits between the client and it). */
export interface StandIn {
  url: string;
  close(): Promise<void>;
}

export async function standIn(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>): Promise<StandIn> {
  const sockets = new Set<import("node:net").Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      Promise.resolve(handler(req, res, Buffer.concat(chunks).toString("utf8"))).catch((e: unknown) => {
        res.destroy(e as Error);
      });
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) {
          s.destroy();
        }

        server.close(() => r());
      }),
  };
}

/** Sends a request on to the real server and hands back its answer, read whole. */
export async function forward(target: string, req: IncomingMessage, body: string): Promise<{ status: number; headers: Headers; text: string }> {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (typeof v === "string" && k !== "host" && k !== "connection" && k !== "content-length") {
      headers.set(k, v);
    }
  }

  const response = await fetch(target + req.url, { method: req.method, headers, body: req.method === "GET" || req.method === "HEAD" ? undefined : body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}
