import { LOCAL_PLATFORM_SECRETS } from '../../local/local-config.js';
import type { Random } from '../chaos/random.js';
import { stampedRequest, yotpoRequest } from '../helpers/platform-requests.js';
import {
  bodyDeliveryId,
  type CaseInput,
  reviewerEmail as email,
  type HostileCase,
  reviewMarker as marker,
  numericId,
  OTHER_SHOP,
  sampleObject,
} from './hostile-kit.js';

type Json = Record<string, unknown>;

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
  const text = JSON.stringify(review);
  return {
    id,
    text,
    input: (): CaseInput => ({
      requests: [stampedRequest(text)],
      deliveryId: bodyDeliveryId('review/created', text),
      marker: marker(id),
    }),
  };
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

/** Stamped and Yotpo (pushes proven by a shared secret or a URL token): secrets, shop binding, review payloads. */
export const REVIEW_PUSH_CASES: readonly HostileCase[] = [
  {
    id: 'stamped-valid',
    source: 'stamped',
    input: 'a valid review push with the echoed secret',
    status: 200,
    outcome: { kind: 'delivered' },
    build: (random) => stamped(random).input(),
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
    build: (random) =>
      stamped(random, (r) => {
        r.dateCreated = `${' '.repeat(100_000)}2019-06-05T09:30:14.963${' '.repeat(random.int(0, 100))}x`;
      }).input(),
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
