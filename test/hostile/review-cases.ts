import { LOCAL_PLATFORM_SECRETS } from '../../local/local-config.js';
import type { Random } from '../chaos/random.js';
import { judgemeRequest, okendoRequest } from '../helpers/platform-requests.js';
import { OKENDO_REVIEW_CREATE } from '../helpers/reviews-envelope.js';
import {
  bodyDeliveryId,
  type CaseInput,
  reviewerEmail as email,
  type HostileCase,
  reviewMarker as marker,
  numericId,
  OTHER_SHOP,
  SHOP,
  sampleObject,
} from './hostile-kit.js';

type Json = Record<string, unknown>;

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
  const text = JSON.stringify({ ...base, resource });
  const svixId = `msg_${random.hex(24)}`;
  return {
    id,
    text,
    svixId,
    input: (requests = [okendoRequest(text, { id: svixId })]): CaseInput => ({
      requests,
      deliveryId: svixId,
      marker: marker(id),
    }),
  };
};

/** Judge.me and Okendo (signed reviews): signatures, shop binding, topics and review payloads. */
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
    build: (random) => okendo(random).input(),
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
      return review.input([okendoRequest(review.text, { id: review.svixId, at })]);
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
      return review.input([request(), request(), request()]);
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
      return review.input([okendoRequest(text, { id: review.svixId })]);
    },
  },
  {
    id: 'okendo-review-for-another-store',
    source: 'okendo',
    input: "signed with the local shop's key, naming another configured shop's Okendo store",
    status: 401,
    outcome: { kind: 'refused', error: 'shop_mismatch' },
    build: (random) => okendo(random, 'other-okendo-store').input(),
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
];
