import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeJudgeme, FakeRecharge } from './fake-recharge.js';
import { type FakeReply, FakeShopifyAdmin, type FakeShopifyOptions } from './fake-shopify-admin.js';

/** Settings of a fake shop. */
export interface FakeShopOptions {
  readonly shop: string;
  /** @default 0 (a free port) */
  readonly port?: number;
  readonly shopifyToken?: string;
  readonly rechargeToken?: string;
  readonly judgemeToken?: string;
  readonly now?: () => number;
  readonly bucket?: FakeShopifyOptions['bucket'];
  readonly bulkPolls?: number;
}

/** A running fake shop: one HTTP server on 127.0.0.1 for the three platforms' APIs. */
export interface FakeShop {
  readonly shop: string;
  /** Origin of the Shopify Admin API (`<url>/admin/api/<version>/graphql.json`). */
  readonly url: string;
  /** Base URL of the Recharge API. */
  readonly rechargeUrl: string;
  /** Base URL of Judge.me. */
  readonly judgemeUrl: string;
  readonly tokens: { readonly shopify: string; readonly recharge: string; readonly judgeme: string };
  readonly shopify: FakeShopifyAdmin;
  readonly recharge: FakeRecharge;
  readonly judgeme: FakeJudgeme;
  /** The Admin API secret document that reaches this shop (ADMIN_SECRETS_ARN's content). */
  readonly adminSecrets: { shops: Record<string, unknown> };
  stop(): Promise<void>;
}

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const header = (request: IncomingMessage, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Starts a fake shop: Shopify's GraphQL Admin API (with bulk results under /bulk/), Recharge under /recharge/ and
 * Judge.me under /judgeme/, all on 127.0.0.1. The local demo serves seeded data from it (`npm run fake-shop`);
 * tests fill it with their own.
 */
export const startFakeShop = async (options: FakeShopOptions): Promise<FakeShop> => {
  const tokens = {
    shopify: options.shopifyToken ?? 'shpat_fake_admin_token',
    recharge: options.rechargeToken ?? 'fake-recharge-token',
    judgeme: options.judgemeToken ?? 'fake-judgeme-private-token',
  };
  let url = '';
  const shopify = new FakeShopifyAdmin({
    accessToken: tokens.shopify,
    baseUrl: () => url,
    ...(options.now ? { now: options.now } : {}),
    ...(options.bucket ? { bucket: options.bucket } : {}),
    ...(options.bulkPolls !== undefined ? { bulkPolls: options.bulkPolls } : {}),
  });
  const recharge = new FakeRecharge(tokens.recharge);
  const judgeme = new FakeJudgeme(options.shop, tokens.judgeme);
  const route = async (request: IncomingMessage): Promise<FakeReply> => {
    const target = new URL(request.url ?? '/', 'http://fake');
    const body = await readBody(request);
    if (request.method === 'POST' && /^\/admin\/api\/[\w-]+\/graphql\.json$/.test(target.pathname)) {
      return shopify.graphql(header(request, 'x-shopify-access-token'), body);
    }
    const bulk = /^\/bulk\/(.+)\.jsonl$/.exec(target.pathname);
    if (request.method === 'GET' && bulk?.[1]) return shopify.bulkFile(decodeURIComponent(bulk[1]));
    if (target.pathname.startsWith('/recharge/')) {
      return recharge.handle(
        request.method ?? 'GET',
        target.pathname.slice('/recharge/'.length),
        target.searchParams,
        { 'x-recharge-access-token': header(request, 'x-recharge-access-token') },
        body,
      );
    }
    if (request.method === 'GET' && target.pathname === '/judgeme/api/v1/reviews')
      return judgeme.handle(target.searchParams);
    return { status: 404, body: '{"error":"not found"}', headers: { 'content-type': 'application/json' } };
  };
  const server: Server = createServer((request, response) => {
    route(request).then(
      (reply) => {
        response.writeHead(reply.status, reply.headers);
        response.end(reply.body);
      },
      (error: unknown) => {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: error instanceof Error ? error.message : 'fake failed' }));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    shop: options.shop,
    url,
    rechargeUrl: `${url}/recharge`,
    judgemeUrl: `${url}/judgeme`,
    tokens,
    shopify,
    recharge,
    judgeme,
    adminSecrets: {
      shops: {
        [options.shop]: {
          shopify: { adminAccessToken: tokens.shopify },
          recharge: { apiToken: tokens.recharge },
          judgeme: { apiToken: tokens.judgeme },
        },
      },
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
