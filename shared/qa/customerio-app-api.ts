import type { Destination, DestinationPerson } from './qa-destination.js';

/** The App API hosts (bearer token: an App API key, not the Track API site id and key). */
export const APP_API_BASE_URLS = { us: 'https://api.customer.io', eu: 'https://api-eu.customer.io' } as const;

type Json = Record<string, unknown>;

/**
 * Customer.io's App API as a destination view: `GET /v1/customers?email=` finds the person's `cio_id`,
 * `GET /v1/customers/{cio_id}/attributes?id_type=cio_id` their attributes and
 * `GET /v1/customers/{cio_id}/activities?id_type=cio_id&type=event` the events tracked for them (the App API keeps
 * a person's activities for at least 30 days). Anonymous browsers merged into a person are not listed by the API:
 * their events show among the person's.
 */
export const appApiDestination = (options: {
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly fetcher?: typeof fetch;
}): Destination => {
  const fetcher = options.fetcher ?? fetch;
  const get = async (path: string): Promise<Json | undefined> => {
    const response = await fetcher(`${options.baseUrl.replace(/\/+$/, '')}${path}`, {
      headers: { authorization: `Bearer ${options.apiKey}`, accept: 'application/json' },
    });
    if (response.status === 404) return undefined;
    if (!response.ok)
      throw new Error(`Customer.io App API ${path.split('?')[0]} answered ${response.status}`);
    return (await response.json()) as Json;
  };
  return {
    name: 'Customer.io App API',
    person: async (who): Promise<DestinationPerson> => {
      const search = await get(`/v1/customers?email=${encodeURIComponent(who.email)}`);
      const results = (search?.results ?? []) as { cio_id?: string; id?: string | null }[];
      const match = results.find((r) => r.id === who.id) ?? results[0];
      if (!match?.cio_id) return { found: false, attributes: {}, events: [] };
      const id = encodeURIComponent(match.cio_id);
      const attributes = await get(`/v1/customers/${id}/attributes?id_type=cio_id`);
      const activities = await get(`/v1/customers/${id}/activities?id_type=cio_id&type=event&limit=100`);
      return {
        found: true,
        attributes: ((attributes?.customer as Json | undefined)?.attributes ?? {}) as Json,
        events: ((activities?.activities ?? []) as Json[]).map((a) => ({
          name: String(a.name ?? ''),
          data: (a.data ?? {}) as Json,
        })),
      };
    },
  };
};
