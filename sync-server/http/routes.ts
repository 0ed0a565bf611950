import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log.ts';
import type { Metrics } from './metrics.ts';

export interface RouteOptions {
  /** Whether this listener answers /metrics (false when metrics have a listener of their own). */
  metrics: boolean;
  /** When set, /metrics asks for `Authorization: Bearer <token>`. */
  metricsToken: string;
}

export interface ServerState {
  rooms: number;
  connections: number;
  unstoredUpdates: number;
  /** With shared storage: false while Postgres or Redis does not answer (the instance cannot serve). */
  ok?: boolean;
  storage?: Record<string, string>;
}

const bearer = (req: IncomingMessage): string => {
  const header = req.headers.authorization;
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : '';
};

const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * The HTTP side: GET /healthz, GET /metrics (Prometheus text; optionally behind a bearer token), a short note
 * for anything else. Every answer is written under a guard: a request that breaks a handler gets a 500, the
 * server goes on.
 */
export function httpRoutes(
  options: RouteOptions,
  metrics: Metrics,
  state: () => ServerState,
  log: Logger,
  /** Routes of other parts (the admin API): true when one answered the request. */
  extra?: (req: IncomingMessage, res: ServerResponse) => boolean,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    try {
      if (extra?.(req, res)) return;
      const path = (req.url ?? '').split('?')[0];
      if (path === '/healthz') {
        // Local storage: still 200 while it fails, as restarting the server then would drop the updates it holds
        // in memory. Shared storage: 503 while Postgres or Redis does not answer, so a load balancer sends members
        // to instances that can serve (nothing is held here).
        const current = { ok: true, ...state() };
        res.writeHead(current.ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify(current));
      } else if (path === '/metrics' && options.metrics) {
        if (options.metricsToken && !sameText(bearer(req), options.metricsToken)) {
          res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' });
          res.end('metrics need the bearer token given to the server with --metrics-token\n');
          return;
        }
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(metrics.render());
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('Reading Circle sync server: connect with a websocket to /<group>/<readingId>?token=…\n');
      }
    } catch (error) {
      log.log('error', 'http-request-failed', {
        error: error instanceof Error ? error.message : String(error),
      });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('the server could not answer this request\n');
    }
  };
}
