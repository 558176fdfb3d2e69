import { LOCAL_PLATFORM_SECRETS } from '../../local/local-config.js';
import type { Random } from '../chaos/random.js';
import { judgemeRequest, okendoRequest, stampedRequest, yotpoRequest } from '../helpers/platform-requests.js';
import { OKENDO_REVIEW_CREATE } from '../helpers/reviews-envelope.js';
import {
  bodyDeliveryId,
  type CaseInput,
  type HostileCase,
  numericId,
  OTHER_SHOP,
  SHOP,
  sampleObject,
} from './hostile-kit.js';

type Json = Record<string, unknown>;
const marker = (reviewId: string) => `"review_id":"${reviewId}"`;
const email = (random: Random) => `reviewer.${random.hex(8)}@example.com`;

/** A randomized Judge.me review/created of `shop`; `change` edits the review. */
const judgeme = (
  random: Random,
  shop: string = SHOP,
  change: (review: Json, body: Json) => void = () => undefined,
) => {
  const base = sampleObject('judgeme/review-created.json');
  const id = numericId(random, 9);
  const review: Json = {
    ...(base.review as Json),
    id: Number(id),
    rating: random.int(1, 5),
    reviewer: { ...((base.review as Json).reviewer as Json), email: email(random), phone: null },
    created_at: new Date().toISOString(),
  };
  const body: Json = { ...base, shop_domain: shop, review };
  change(review, body);
  const text = JSON.stringify(body);
  return {
    id,
    text,
    input: (request = judgemeRequest(text)): CaseInput => ({
      requests: [request],
      deliveryId: bodyDeliveryId('review/created', text),
      marker: marker(id),
    }),
  };
};

/** A randomized Okendo review.create of the local store (`subscriberId` overridable). */
const okendo = (random: Random, subscriberId: string = LOCAL_PLATFORM_SECRETS.okendo.subscriberId) => {
  const base = JSON.parse(OKENDO_REVIEW_CREATE) as Json;
  const id = `${random.hex(8)}-${random.hex(4)}-4${random.hex(3)}-a${random.hex(3)}-${random.hex(12)}`;
  const resource = {
    ...(base.resource as Json),
    subscriberId,
    reviewId: id,
    rating: random.int(1, 5),
    reviewer: { ...((base.resource as Json).reviewer as Json), email: email(random) },
  };
  return { id, text: JSON.stringify({ ...base, resource }), svixId: `msg_${random.hex(24)}` };
};

/** A randomized Stamped review push. */
const stamped = (random: Random, change: (review: Json) => void = () => undefined) => {
  const id = numericId(random, 8);
  const review: Json = {
    ...sampleObject('stamped/review-created.json'),
    id: Number(id),
    customerEmail: email(random),
    reviewRating: random.int(1, 5),
  };
  change(review);
  return { id, text: JSON.stringify(review) };
};

/** A randomized Yotpo review_create of the local store (`app_key` overridable). */
const yotpo = (random: Random, change: (data: Json) => void = () => undefined) => {
  const base = sampleObject('yotpo/review-create.json');
  const id = numericId(random, 7);
  const data: Json = {
    ...(base.data as Json),
    id,
    app_key: LOCAL_PLATFORM_SECRETS.yotpo.appKey,
    customer_email: email(random),
    score: String(random.int(1, 5)),
  };
  change(data);
  const text = JSON.stringify({ ...base, data });
  return { id, text };
};

const yotpoInput = (text: string, id: string, token?: string): CaseInput => ({
  requests: [yotpoRequest(text, token)],
  deliveryId: bodyDeliveryId('review_create', text),
  marker: marker(id),
});

/** Judge.me, Okendo, Stamped and Yotpo: signatures, shop binding, topics and review payloads. */
export const REVIEW_CASES: readonly HostileCase[] = [
  {
    id: 'judgeme-valid',
    source: 'judgeme',
    input: 'a valid signed review/created',
    status: 200,
    outcome: { kind: 'delivered' },
    build: (random) => judgeme(random).input(),
  },
  {
    id: 'judgeme-bad-signature',
    source: 'judgeme',
    input: 'a review signed with another token',
    status: 401,
    outcome: { kind: 'refused', error: 'invalid_signature' },
    build: (random) => {
      const review = judgeme(random);
      return review.input(judgemeRequest(review.text, `forged-${random.hex(10)}`));
    },
  },
  {
    id: 'judgeme-review-for-another-shop',
    source: 'judgeme',
    input: "a review signed with the local shop's token naming another configured shop in shop_domain",
    status: 401,
    outcome: { kind: 'refused', error: 'shop_mismatch' },
    build: (random) => judgeme(random, OTHER_SHOP).input(),
  },
  {
    id: 'judgeme-missing-event',
    source: 'judgeme',
    input: 'a signed review without the `event` field (the topic)',
    status: 400,
    outcome: { kind: 'refused', error: 'missing_headers' },
    build: (random) =>
      judgeme(random, SHOP, (_, body) => {
        delete body.event;
      }).input(),
  },
  {
    id: 'judgeme-topic-constructor',
    source: 'judgeme',
    input: 'a signed body whose `event` is `constructor`',
    status: 200,
    outcome: { kind: 'ignored' },
    build: (random) => {
      const review = judgeme(random, SHOP, (_, body) => {
        body.event = 'constructor';
      });
      return { ...review.input(), deliveryId: bodyDeliveryId('constructor', review.text) };
    },
  },
  {
    id: 'judgeme-bad-rating',
    source: 'judgeme',
    input: 'a rating of 6, -1, "five" or null',
    status: 200,
    outcome: { kind: 'parked', code: 'payload_invalid' },
    build: (random) =>
      judgeme(random, SHOP, (review) => {
        review.rating = random.pick([6, -1, 'five', null]);
      }).input(),
  },
  {
    id: 'okendo-valid',
    source: 'okendo',
    input: 'a valid Svix-signed review.create',
    status: 200,
    outcome: { kind: 'delivered' },
    build: (random) => {
      const review = okendo(random);
      return {
        requests: [okendoRequest(review.text, { id: review.svixId })],
        deliveryId: review.svixId,
        marker: marker(review.id),
      };
    },
  },
  {
    id: 'okendo-stale-timestamp',
    source: 'okendo',
    input: 'a signature made 6 min to 3 days ago (Svix tolerates 5 min)',
    status: 401,
    outcome: { kind: 'refused', error: 'stale_timestamp' },
    build: (random) => {
      const review = okendo(random);
      const at = new Date(Date.now() - random.int(6, 4_320) * 60_000);
      return {
        requests: [okendoRequest(review.text, { id: review.svixId, at })],
        deliveryId: review.svixId,
        marker: marker(review.id),
      };
    },
  },
  {
    id: 'okendo-replayed-message',
    source: 'okendo',
    input: 'one message id sent three times, freshly signed each time (Svix retries)',
    status: 200,
    outcome: { kind: 'delivered' },
    build: (random) => {
      const review = okendo(random);
      const request = () => okendoRequest(review.text, { id: review.svixId });
      return {
        requests: [request(), request(), request()],
        deliveryId: review.svixId,
        marker: marker(review.id),
      };
    },
    also: {
      says: 'one Review Submitted',
      holds: (ops, input) => ops.filter((op) => JSON.stringify(op).includes(input.marker ?? '')).length === 1,
    },
  },
  {
    id: 'okendo-wrong-types',
    source: 'okendo',
    input: 'a signed review whose rating, review id or reviewer has the wrong JSON type',
    status: 200,
    outcome: { kind: 'parked', code: 'payload_invalid' },
    build: (random) => {
      const review = okendo(random);
      const body = JSON.parse(review.text) as { resource: Json };
      const field = random.pick(['rating', 'reviewId', 'dateCreated']);
      body.resource[field] = random.pick([{}, [], true]);
      const text = JSON.stringify(body);
      return {
        requests: [okendoRequest(text, { id: review.svixId })],
        deliveryId: review.svixId,
        marker: marker(review.id),
      };
    },
  },
  {
    id: 'okendo-review-for-another-store',
    source: 'okendo',
    input: "signed with the local shop's key, naming another configured shop's Okendo store",
    status: 401,
    outcome: { kind: 'refused', error: 'shop_mismatch' },
    build: (random) => {
      const review = okendo(random, 'other-okendo-store');
      return {
        requests: [okendoRequest(review.text, { id: review.svixId })],
        deliveryId: review.svixId,
        marker: marker(review.id),
      };
    },
  },
  {
    id: 'okendo-missing-signature',
    source: 'okendo',
    input: 'no svix-id / svix-timestamp / svix-signature headers',
    status: 401,
    outcome: { kind: 'refused', error: 'missing_signature' },
    build: (random) => {
      const review = okendo(random);
      return {
        requests: [
          { path: '/webhooks/okendo', headers: { 'content-type': 'application/json' }, body: review.text },
        ],
        marker: marker(review.id),
      };
    },
  },
  {
    id: 'stamped-valid',
    source: 'stamped',
    input: 'a valid review push with the echoed secret',
    status: 200,
    outcome: { kind: 'delivered' },
    build: (random) => {
      const review = stamped(random);
      return {
        requests: [stampedRequest(review.text)],
        deliveryId: bodyDeliveryId('review/created', review.text),
        marker: marker(review.id),
      };
    },
  },
  {
    id: 'stamped-wrong-secret',
    source: 'stamped',
    input: 'a push echoing a wrong secret, or naming another configured shop with the local secret',
    status: 401,
    outcome: { kind: 'refused', error: 'invalid_signature' },
    build: (random) => {
      const review = stamped(random);
      const request = random.chance(0.5)
        ? stampedRequest(review.text, { secret: `wrong-${random.hex(8)}` })
        : stampedRequest(review.text, { storeUrl: `https://${OTHER_SHOP}/` });
      return { requests: [request], marker: marker(review.id) };
    },
  },
  {
    id: 'stamped-unknown-store',
    source: 'stamped',
    input: 'X-Stamped-Store-Url of a store the deployment does not serve (or none)',
    status: 401,
    outcome: { kind: 'refused', error: 'unknown_shop' },
    build: (random) => {
      const review = stamped(random);
      return {
        requests: [
          stampedRequest(review.text, {
            storeUrl: random.pick([`https://nobody-${random.hex(4)}.myshopify.com/`, '', '/////']),
          }),
        ],
        marker: marker(review.id),
      };
    },
  },
  {
    id: 'stamped-not-a-review',
    source: 'stamped',
    input: 'a push that is not a review (an NPS answer)',
    status: 200,
    outcome: { kind: 'ignored' },
    build: (random) => {
      const text = JSON.stringify({
        id: Number(numericId(random, 6)),
        npsScore: random.int(0, 10),
        customerEmail: email(random),
      });
      const [request] = [stampedRequest(text)];
      return {
        requests: [{ ...request, headers: { ...request.headers, 'x-stamped-topic': 'NPS' } }],
        deliveryId: bodyDeliveryId('nps', text),
      };
    },
  },
  {
    id: 'stamped-date-whitespace-run',
    source: 'stamped',
    input: 'dateCreated padded with 100 KB of spaces',
    status: 200,
    outcome: { kind: 'parked', code: 'payload_invalid' },
    build: (random) => {
      const review = stamped(random, (r) => {
        r.dateCreated = `${' '.repeat(100_000)}2019-06-05T09:30:14.963${' '.repeat(random.int(0, 100))}x`;
      });
      return {
        requests: [stampedRequest(review.text)],
        deliveryId: bodyDeliveryId('review/created', review.text),
        marker: marker(review.id),
      };
    },
  },
  {
    id: 'yotpo-valid',
    source: 'yotpo',
    input: 'a valid review_create on the secret URL',
    status: 200,
    outcome: { kind: 'delivered' },
    build: (random) => {
      const review = yotpo(random);
      return yotpoInput(review.text, review.id);
    },
  },
  {
    id: 'yotpo-bad-token',
    source: 'yotpo',
    input: 'a well-formed but wrong URL token',
    status: 401,
    outcome: { kind: 'refused', error: 'invalid_signature' },
    build: (random) => {
      const review = yotpo(random);
      return yotpoInput(review.text, review.id, `wrong-${random.hex(20)}`);
    },
  },
  {
    id: 'yotpo-token-shape',
    source: 'yotpo',
    input: 'a URL token too short or with characters a token never has',
    status: 404,
    outcome: { kind: 'refused', error: 'unknown_route' },
    build: (random) => {
      const review = yotpo(random);
      return yotpoInput(
        review.text,
        review.id,
        random.pick(['short', 'tok%2Fen..', `${random.hex(10)}.${random.hex(4)}`]),
      );
    },
  },
  {
    id: 'yotpo-app-key-of-another-store',
    source: 'yotpo',
    input: "the local token with another configured shop's Yotpo app key in the body",
    status: 401,
    outcome: { kind: 'refused', error: 'shop_mismatch' },
    build: (random) => {
      const review = yotpo(random, (data) => {
        data.app_key = 'other-yotpo-app-key';
      });
      return yotpoInput(review.text, review.id);
    },
  },
  {
    id: 'yotpo-date-whitespace-run',
    source: 'yotpo',
    input: 'created_at with 100 KB of spaces before ` UTC` (the quadratic pattern of issue 8)',
    status: 200,
    outcome: { kind: 'parked', code: 'payload_invalid' },
    build: (random) => {
      const review = yotpo(random, (data) => {
        data.created_at = `2018-02-20 14:12:13${' '.repeat(100_000 + random.int(0, 1_000))}UTC!`;
      });
      return yotpoInput(review.text, review.id);
    },
  },
];
