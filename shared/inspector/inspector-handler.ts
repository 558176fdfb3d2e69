import { classifyFailure } from '../failures/classify-failure.js';
import type { Log } from '../ports/telemetry.js';
import { INSPECTOR_CSS } from './inspector-css.js';
import type { InspectorSources } from './inspector-sources.js';
import { buildPersonView } from './person-view.js';
import { renderPage } from './render-page.js';
import { parseSearch } from './search.js';

/** The inspector's routes live under this path. */
const INSPECTOR_PATH = '/inspector';

/** What the handler reads of an HTTP request. */
export interface InspectorRequest {
  readonly method: string;
  /** Path and query, e.g. `/inspector?q=…`. */
  readonly url: string;
  readonly host: string | undefined;
}

/** What it answers. */
export interface InspectorResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** No script at all, styles only from the page's own origin, no framing, forms only to itself. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const;

/** Loopback names only: a page elsewhere that rebinds its DNS name to 127.0.0.1 is refused (DNS rebinding). */
const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/i;

const text = (status: number, body: string): InspectorResponse => ({
  status,
  headers: { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS },
  body,
});

/** Whether a request path belongs to the inspector. */
export const isInspectorPath = (path: string): boolean =>
  path === INSPECTOR_PATH || path.startsWith(`${INSPECTOR_PATH}/`) || path.startsWith(`${INSPECTOR_PATH}?`);

/**
 * The inspector as a request handler: GET only, loopback Host only, server-rendered HTML without script. Failures
 * to read a source show as a message on the page and a log line with their code, never as internals.
 */
export const inspectorHandler =
  (sources: InspectorSources, log: Log) =>
  async (request: InspectorRequest): Promise<InspectorResponse> => {
    if (!LOOPBACK_HOST.test(request.host ?? ''))
      return text(403, 'The inspector answers on 127.0.0.1 only.\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return {
        ...text(405, 'Read-only: GET only.\n'),
        headers: { ...text(405, '').headers, allow: 'GET, HEAD' },
      };
    }
    const url = new URL(request.url, 'http://127.0.0.1');
    if (url.pathname === `${INSPECTOR_PATH}/inspector.css`) {
      return {
        status: 200,
        headers: {
          ...SECURITY_HEADERS,
          'content-type': 'text/css; charset=utf-8',
          'cache-control': 'max-age=300',
        },
        body: INSPECTOR_CSS,
      };
    }
    if (url.pathname !== INSPECTOR_PATH && url.pathname !== `${INSPECTOR_PATH}/`)
      return text(404, 'Not found.\n');
    const query = parseSearch(url.searchParams, sources.shops[0] ?? '');
    const base = { label: sources.label, shops: sources.shops, ...(query ? { query } : {}) };
    let page: string;
    try {
      page = renderPage(query ? { ...base, view: await buildPersonView(sources, query) } : base);
    } catch (error) {
      const failure = classifyFailure(error);
      log.error('inspector could not read its sources', { code: failure.code, reason: failure.reason });
      page = renderPage({
        ...base,
        error: `Could not read the connector's data (${failure.code}). Check the stack is running and your credentials can read it.`,
      });
    }
    return {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8' },
      body: page,
    };
  };
