import type { TopicCalls } from '../aws-calls/measure-calls.js';
import { TOPIC_MIX } from './webhook-mix.js';

/**
 * The Target 2 scenario that stands for each topic of the mix: what one webhook of that topic costs in a live shop
 * (orders/paid and orders/updated restate an order orders/create brought first).
 */
const SCENARIO_OF_TOPIC: Readonly<Record<string, string>> = {
  'carts/update': 'carts/update (carts-update.rudderstack)',
  'checkouts/create': 'checkouts/create (checkouts-create)',
  'checkouts/update': 'checkouts/update (checkouts-update)',
  'orders/create': 'orders/create (first order of a known checkout)',
  'orders/paid': 'orders/paid (same order)',
  'orders/updated': 'orders/updated (same order)',
  'orders/cancelled': 'orders/cancelled (orders-cancelled)',
  'customers/create': 'customers/create (customers-create)',
  'customers/update': 'customers/update (customers-update)',
  'customers_email_marketing_consent/update':
    'customers_email_marketing_consent/update (customers-email-marketing-consent-update)',
  'review/created': 'judge.me review/created',
};

/** One topic of the mix with its share (0–1) and its measured calls. */
export interface MixedTopic {
  readonly topic: string;
  readonly share: number;
  readonly calls: TopicCalls;
}

/** The mix, each topic with what Target 2 measured for it. */
export const mixedTopics = (rows: readonly TopicCalls[]): MixedTopic[] => {
  const total = TOPIC_MIX.reduce((sum, t) => sum + t.share, 0);
  return TOPIC_MIX.map(({ topic, share }) => {
    const label = SCENARIO_OF_TOPIC[topic];
    const calls = rows.find((row) => row.label === label);
    if (!calls) throw new Error(`no Target 2 scenario "${label}" for ${topic}`);
    return { topic, share: share / total, calls };
  });
};

/** The mix-weighted mean of a per-webhook quantity. */
export const perWebhook = (topics: readonly MixedTopic[], of: (calls: TopicCalls) => number): number =>
  topics.reduce((sum, t) => sum + t.share * of(t.calls), 0);
