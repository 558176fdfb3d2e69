import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** A transport-neutral HTTP request: what API Gateway and the local server both hand to the core. */
export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  /** Header names lower-cased; repeated headers joined with a comma. */
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  /** The exact bytes received: signatures are computed over these, never over re-serialised JSON. */
  readonly body: Buffer;
  readonly sourceIp?: string;
}

/** A transport-neutral HTTP response. */
export interface HttpResponse {
  readonly statusCode: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Lower-cases header names. */
const normalizeHeaders = (
  headers: Record<string, string | undefined> | undefined,
): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) out[name.toLowerCase()] = value;
  }
  return out;
};

/** Builds an HttpRequest from an API Gateway HTTP API (payload v2) event, decoding a base64 body first. */
export const fromApiGatewayV2 = (event: APIGatewayProxyEventV2): HttpRequest => ({
  method: event.requestContext.http.method.toUpperCase(),
  path: event.rawPath,
  headers: normalizeHeaders(event.headers),
  query: Object.fromEntries(
    Object.entries(event.queryStringParameters ?? {}).filter(
      (e): e is [string, string] => e[1] !== undefined,
    ),
  ),
  body: Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8'),
  sourceIp: event.requestContext.http.sourceIp,
});

/** Converts an HttpResponse to the API Gateway v2 result shape. */
export const toApiGatewayV2 = (response: HttpResponse): APIGatewayProxyStructuredResultV2 => ({
  statusCode: response.statusCode,
  headers: { 'content-type': 'application/json', ...response.headers },
  body: response.body,
});

/** A JSON response with a stable error/ok shape that never echoes input or internals. */
export const jsonResponse = (
  statusCode: number,
  payload: Record<string, unknown>,
  headers?: Record<string, string>,
): HttpResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(payload),
});
