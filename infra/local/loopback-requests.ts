import type { IncomingMessage } from 'node:http';
import { isLoopbackHost } from '../../shared/validation.js';

/**
 * Whether a request names this machine by a loopback name in its `Host`. A web page whose own name an attacker
 * rebinds to 127.0.0.1 reads as same-origin to the browser, but sends its own name as `Host`; without this check any
 * site the developer opens could read a loopback endpoint. Clients that send no `Host` (HTTP/1.0) are not browsers.
 */
export function namedByLoopback(req: Pick<IncomingMessage, 'headers'>): boolean {
  const host = req.headers.host;
  if (host === undefined) return true;
  const named = URL.parse(`http://${host}`);
  return named !== null && isLoopbackHost(named.hostname);
}

/**
 * Whether a request to an endpoint meant for SDK clients on this machine comes from a web page: a browser sends an
 * Origin or Fetch Metadata, and a rebound page a non-loopback `Host` ({@link namedByLoopback}). The SDK sends none.
 */
export function fromWebPage(req: Pick<IncomingMessage, 'headers'>): boolean {
  const { headers } = req;
  return headers.origin !== undefined || headers['sec-fetch-site'] !== undefined || headers['sec-fetch-mode'] !== undefined || !namedByLoopback(req);
}
