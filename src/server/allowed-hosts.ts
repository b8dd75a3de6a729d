import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_TYPES } from '../api';
import { answeredBeforeClose } from './auth/guard';
import { sendProblem } from './problem';

/**
 * DNS rebinding: a page on `evil.example` whose name is made to resolve to 127.0.0.1 talks to the
 * console from the browser as a same-origin page of `evil.example`. The browser still names that host
 * in `Host`, so a request whose Host is not one of the console's own names is refused before anything
 * else is done with it.
 *
 * An entry is `host` (any port, or none: a reverse proxy's public name) or `host:port` (that port
 * only); IPv6 addresses in brackets (`[::1]:8080`). Port `0` stands for the port the request came in
 * on — the one the console is bound to, whatever the OS picked for `PORT=0`.
 *
 * Only the `Host` header is judged, also behind TRUSTED_PROXY_IPS: `X-Forwarded-Host` is not
 * believed (the reverse proxy must pass the Host the browser used, or its own name must be listed).
 */
export interface HostEntry {
  hostname: string;
  /** Absent: any port. 0: the port the request arrived on. */
  port?: number;
}

/** The loopback names, each on the port the console is bound to: buildServer's default. */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost:0', '127.0.0.1:0', '[::1]:0'];

const ENTRY = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?$/;

/** An IPv6 address in its one spelling (`[0:0::1]` → `[::1]`), as browsers write it; `undefined` if it is none. */
const canonicalName = (name: string): string | undefined => {
  if (!name.startsWith('[')) return name;
  try {
    return new URL(`http://${name}/`).hostname;
  } catch {
    return undefined;
  }
};

/** `host` or `host:port`, lower-cased; `undefined` when it is neither (e.g. an IPv6 address without brackets). */
export const parseHostEntry = (text: string): HostEntry | undefined => {
  const match = ENTRY.exec(text.trim().toLowerCase());
  if (!match) return undefined;
  const hostname = canonicalName(match[1]!);
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (hostname === undefined || (port !== undefined && port > 65_535)) return undefined;
  return { hostname, ...(port === undefined ? {} : { port }) };
};

/** `host` as it appears in a Host header: IPv6 addresses in brackets. */
export const hostForHeader = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host).toLowerCase();

/** A Host header's name and port (absent when it names none), or `undefined` when it is malformed. */
const parseHostHeader = (header: string): { hostname: string; port?: number } | undefined => {
  const match = ENTRY.exec(header.toLowerCase());
  const hostname = match && canonicalName(match[1]!);
  if (!hostname) return undefined;
  return { hostname, ...(match[2] === undefined ? {} : { port: Number(match[2]) }) };
};

/** Whether a Host header is one of `entries`; `localPort` is the port the request arrived on. */
export const isAllowedHost = (entries: readonly HostEntry[], header: string, localPort: number | undefined): boolean => {
  const host = parseHostHeader(header);
  if (!host) return false;
  return entries.some(
    (entry) =>
      entry.hostname === host.hostname && (entry.port === undefined || (host.port !== undefined && host.port === (entry.port === 0 ? localPort : entry.port))),
  );
};

/**
 * The check, as the first onRequest hook after the security headers. A missing Host is left to the
 * guard (400). A refused request is answered 421 and its connection closed: whatever else it carries
 * (a body, pipelined requests) is not read.
 */
export const registerAllowedHosts = (app: FastifyInstance, hosts: readonly string[]) => {
  const entries = hosts.map((text) => {
    const entry = parseHostEntry(text);
    if (!entry) throw new Error(`allowed hosts: ${JSON.stringify(text)} is not a host or host:port`);
    return entry;
  });
  // Host values found allowed, with the port they came in on: nearly every request repeats one of a
  // few, so it is not parsed again. Bounded: a refused or odd spelling is never kept.
  const seenAllowed = new Set<string>();
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const host = request.headers.host;
    if (host === undefined || host === '') return done();
    const localPort = request.raw.socket.localPort;
    const key = `${localPort} ${host}`;
    if (seenAllowed.has(key)) return done();
    if (isAllowedHost(entries, host, localPort)) {
      if (seenAllowed.size < 64) seenAllowed.add(key);
      return done();
    }
    reply.header('connection', 'close');
    answeredBeforeClose.add(request.raw.socket);
    void sendProblem(request, reply, 421, {
      type: PROBLEM_TYPES.validation,
      title: 'Misdirected request',
      detail: 'This console does not answer to that host name. Use the address your administrator gave you.',
    });
  });
};
