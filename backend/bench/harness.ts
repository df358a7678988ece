import { createServer, type Server } from 'node:http';
import type Koa from 'koa';
import { listen } from '../src/platform/process';

/** Serves a bench's bare Koa app (the baseline the backend is measured against) on a free local port. */
export async function serveBare(app: Koa): Promise<{ url: string; server: Server }> {
  const server = createServer(app.callback());
  await listen(server, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

/** A request's JSON body, read without a body parser so that the bare route does as little as it can. */
export async function readJson(req: NodeJS.ReadableStream): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** The p-th percentile of latencies sorted ascending. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
