import type { PersonAttributes } from '../canonical/person.js';
import { truncateUtf8 } from '../process/text-budget.js';

/**
 * First-touch attribution: where a person first came from, derived from a landing URL and its referrer. Pure and
 * linear in its input (URL parsing only; inputs are capped first).
 */

/** The first-touch attributes of a person. */
export type AcquisitionAttributes = Required<
  Pick<PersonAttributes, 'acquisition_source' | 'acquisition_medium'>
> &
  Pick<PersonAttributes, 'acquisition_campaign' | 'first_landing_page' | 'first_referrer'>;

/** Longest URL read; longer ones are cut before parsing (browsers cap at a few KB anyway). */
const MAX_URL_LENGTH = 4096;
/** Customer.io's limit for one attribute value. */
const MAX_ATTRIBUTE_BYTES = 1000;
/** A base for relative landing paths (Shopify's `landing_site` is often `/path?query`). */
const RELATIVE_BASE = 'https://relative.invalid';

/** Paid-search click ids that name their source without UTM parameters. */
const CLICK_IDS: readonly (readonly [string, string])[] = [
  ['gclid', 'google'],
  ['gbraid', 'google'],
  ['wbraid', 'google'],
  ['msclkid', 'bing'],
];
const SEARCH_ENGINES = [
  'google.',
  'bing.com',
  'yahoo.',
  'duckduckgo.com',
  'baidu.com',
  'yandex.',
  'ecosia.org',
];
const SOCIAL_SITES = [
  'facebook.com',
  'instagram.com',
  't.co',
  'twitter.com',
  'x.com',
  'pinterest.',
  'tiktok.com',
  'linkedin.com',
  'reddit.com',
  'youtube.com',
];

interface ParsedUrl {
  readonly url: URL;
  readonly relative: boolean;
}

const parse = (value: string | null | undefined): ParsedUrl | undefined => {
  const text = value?.trim().slice(0, MAX_URL_LENGTH);
  if (!text) return undefined;
  if (URL.canParse(text)) {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? { url, relative: false } : undefined;
  }
  if (text.startsWith('/') && URL.canParse(text, RELATIVE_BASE)) {
    return { url: new URL(text, RELATIVE_BASE), relative: true };
  }
  return undefined;
};

const hostOf = (url: URL): string => url.hostname.toLowerCase().replace(/^www\./, '');

const matches = (host: string, sites: readonly string[]): boolean =>
  sites.some((site) =>
    site.endsWith('.')
      ? host.startsWith(site) || host.includes(`.${site}`)
      : host === site || host.endsWith(`.${site}`),
  );

const param = (url: URL, name: string): string | undefined => {
  const value = url.searchParams.get(name)?.trim();
  return value ? truncateUtf8(value, MAX_ATTRIBUTE_BYTES) : undefined;
};

/** Whether a landing URL states its campaign (UTM parameters or a paid-search click id). */
const hasCampaign = (url: URL): boolean =>
  url.searchParams.has('utm_source') ||
  url.searchParams.has('utm_medium') ||
  url.searchParams.has('utm_campaign') ||
  CLICK_IDS.some(([name]) => url.searchParams.has(name));

/** The landing page as stored: no fragment, and of its query only the UTM parameters (others may carry tokens). */
const landingPage = (parsed: ParsedUrl): string => {
  const kept = [...parsed.url.searchParams].filter(([name]) => name.startsWith('utm_'));
  const query = kept.length > 0 ? `?${new URLSearchParams(kept).toString()}` : '';
  const base = parsed.relative ? parsed.url.pathname : `${parsed.url.origin}${parsed.url.pathname}`;
  return truncateUtf8(`${base}${query}`, MAX_ATTRIBUTE_BYTES);
};

/** The referrer as stored: origin and path only. */
const referrerPage = (url: URL): string => truncateUtf8(`${url.origin}${url.pathname}`, MAX_ATTRIBUTE_BYTES);

/**
 * Whether a page view starts a visit: it has no referrer, a referrer on another host, or campaign parameters.
 * Navigation inside the shop is not a touch.
 */
export const isEntryPage = (
  href: string | null | undefined,
  referrer: string | null | undefined,
): boolean => {
  const page = parse(href);
  if (!page) return false;
  const from = parse(referrer);
  return (
    from === undefined || from.relative || hostOf(from.url) !== hostOf(page.url) || hasCampaign(page.url)
  );
};

/** Source and medium when the landing URL names none: a click id, an outside referrer, else direct. */
const sourceOf = (
  landing: URL,
  referrer: URL | undefined,
): Pick<AcquisitionAttributes, 'acquisition_source' | 'acquisition_medium'> => {
  const clickId = CLICK_IDS.find(([name]) => landing.searchParams.has(name));
  if (clickId) return { acquisition_source: clickId[1], acquisition_medium: 'cpc' };
  if (referrer) {
    const host = hostOf(referrer);
    const medium = matches(host, SEARCH_ENGINES)
      ? 'organic'
      : matches(host, SOCIAL_SITES)
        ? 'social'
        : 'referral';
    return { acquisition_source: host, acquisition_medium: medium };
  }
  return { acquisition_source: '(direct)', acquisition_medium: '(none)' };
};

/**
 * The first-touch attributes of a landing URL and its referrer: UTM parameters first (`utm_source`,
 * `utm_medium`, either one missing is `(not set)`; `utm_campaign` whenever present), else a paid-search click id (`gclid` → google / cpc), else the referrer's host
 * (`organic` for search engines, `social`, else `referral`), else `(direct)` / `(none)`. A referrer on the
 * landing page's own host is no referrer. `fallbackSource` names a non-web channel (a POS order) when nothing
 * else does. Undefined when the landing URL cannot be read.
 */
export const acquisitionOf = (
  landingUrl: string | null | undefined,
  referrerUrl: string | null | undefined,
  fallbackSource?: string,
): AcquisitionAttributes | undefined => {
  const landing = parse(landingUrl) ?? (fallbackSource ? parse('/') : undefined);
  if (!landing) return undefined;
  const parsedReferrer = parse(referrerUrl);
  const referrer =
    parsedReferrer &&
    !parsedReferrer.relative &&
    (landing.relative || hostOf(parsedReferrer.url) !== hostOf(landing.url))
      ? parsedReferrer.url
      : undefined;
  const utmSource = param(landing.url, 'utm_source');
  const utmMedium = param(landing.url, 'utm_medium');
  const campaign = param(landing.url, 'utm_campaign');
  const named =
    utmSource || utmMedium
      ? { acquisition_source: utmSource ?? '(not set)', acquisition_medium: utmMedium ?? '(not set)' }
      : sourceOf(landing.url, referrer);
  const source =
    named.acquisition_source === '(direct)' && fallbackSource
      ? {
          acquisition_source: truncateUtf8(fallbackSource, MAX_ATTRIBUTE_BYTES),
          acquisition_medium: '(none)',
        }
      : named;
  return {
    ...source,
    ...(campaign ? { acquisition_campaign: campaign } : {}),
    ...(parse(landingUrl) ? { first_landing_page: landingPage(landing) } : {}),
    ...(referrer ? { first_referrer: referrerPage(referrer) } : {}),
  };
};
