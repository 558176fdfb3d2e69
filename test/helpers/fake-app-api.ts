import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for Customer.io's App API on 127.0.0.1 (Customer.io itself cannot run here), answering the three
 * lookups the QA kit makes from the operations the local capture received: people by email, a person's attributes,
 * a person's event activities. It records every request so tests can check paths and the bearer token.
 */
export const startFakeAppApi = async (
  operations: () => readonly Record<string, unknown>[],
  apiKey: string,
): Promise<{ url: string; requests: string[]; close(): Promise<void> }> => {
  const requests: string[] = [];
  const people = () => {
    const byId = new Map<
      string,
      { id: string; email?: string; attributes: Record<string, unknown>; events: unknown[] }
    >();
    for (const op of operations()) {
      const identifiers = op.identifiers as { id?: string; email?: string } | undefined;
      // An email addresses the person who has it, as in Customer.io; else a profile known by that email alone.
      const known = identifiers?.email
        ? [...byId.values()].find((p) => p.email === identifiers.email)
        : undefined;
      const id =
        identifiers?.id ?? known?.id ?? (identifiers?.email ? `email-${identifiers.email}` : undefined);
      if (!id) continue;
      // An identify giving an id the email of a profile known by email alone makes them one (as Customer.io does).
      const email = (op.attributes as { email?: string } | undefined)?.email;
      const guest = identifiers?.id && email ? byId.get(`email-${email}`) : undefined;
      if (guest && !byId.has(id)) {
        byId.delete(`email-${email}`);
        byId.set(id, { ...guest, id });
      }
      const person = byId.get(id) ?? {
        id,
        ...(identifiers?.email ? { email: identifiers.email } : {}),
        attributes: {},
        events: [],
      };
      if (op.action === 'identify') {
        Object.assign(person.attributes, op.attributes);
        const email = (op.attributes as { email?: string }).email;
        if (email) person.email = email;
      }
      if (op.action === 'event')
        person.events.push({ type: 'event', name: op.name, data: op.attributes, timestamp: op.timestamp });
      byId.set(id, person);
    }
    return [...byId.values()];
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${apiKey}`)
      return json(401, { errors: [{ detail: 'unauthorized' }] });
    if (url.pathname === '/v1/customers') {
      const email = url.searchParams.get('email');
      const found = people().filter((p) => p.email === email);
      return json(200, {
        results: found.map((p) => ({
          id: p.id.startsWith('email-') ? null : p.id,
          email: p.email,
          cio_id: `cio-${p.id}`,
        })),
      });
    }
    const match = /^\/v1\/customers\/cio-([^/]+)\/(attributes|activities)$/.exec(url.pathname);
    const person = match ? people().find((p) => p.id === match[1]) : undefined;
    if (!match || !person || url.searchParams.get('id_type') !== 'cio_id') return json(404, {});
    return match[2] === 'attributes'
      ? json(200, { customer: { id: person.id, attributes: person.attributes } })
      : json(200, { activities: person.events, next: '' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
