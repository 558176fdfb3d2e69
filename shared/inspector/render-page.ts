import { html, type SafeHtml } from './html.js';
import { buildIdentityGraph } from './identity-graph.js';
import type { PersonView } from './person-view.js';
import {
  renderCarts,
  renderDeadLetters,
  renderIdentityGraph,
  renderRollups,
  renderSummary,
  renderTimeline,
} from './render-sections.js';
import { KIND_LABELS, SEARCH_KINDS, type SearchQuery } from './search.js';
import { buildTimeline, whoseLabel } from './timeline.js';

/** What one page shows. */
export interface PageModel {
  /** Where the data comes from (header). */
  readonly label: string;
  readonly shops: readonly string[];
  readonly query?: SearchQuery;
  readonly view?: PersonView;
  /** A failure reading the sources, in words (never a stack trace). */
  readonly error?: string;
}

const searchForm = (model: PageModel): SafeHtml => {
  const shop = model.query?.shop ?? model.shops[0] ?? '';
  return html`<form class="search" method="get" action="/inspector" role="search" aria-label="Find a person">
  <div><label for="q">Email, phone, customer id, anonymous id, cart or checkout token, or order id</label>
    <input id="q" name="q" type="search" required autocomplete="off" spellcheck="false" value="${model.query?.term ?? ''}" autofocus></div>
  <div><label for="kind">It is</label>
    <select id="kind" name="kind">${SEARCH_KINDS.map(
      (kind) =>
        html`<option value="${kind}"${model.query?.kind === kind ? html` selected` : ''}>${KIND_LABELS[kind]}</option>`,
    )}</select></div>
  <div><label for="shop">Shop</label>
    <input id="shop" name="shop" list="shops" value="${shop}" autocomplete="off" spellcheck="false">
    <datalist id="shops">${model.shops.map((s) => html`<option value="${s}"></option>`)}</datalist></div>
  <div><button type="submit">Search</button></div>
</form>
<p class="hint">Read-only. Contact details are masked; product names and ids are shown as received.</p>`;
};

const personPage = (view: PersonView): SafeHtml => {
  const items = buildTimeline(view.activities);
  const empty = view.activities.length === 0 && view.deadLetters.length === 0 && view.people.length === 0;
  if (empty) {
    return html`<div class="banner empty" role="status">Nothing found for “${view.query.term}” in ${view.query.shop}. Check the shop, pick what the value is, or try another identifier (the activity record keeps ACTIVITY_RETENTION_DAYS days).</div>`;
  }
  return html`${
    view.redacted
      ? html`<div class="banner redacted" role="status">Redacted: a privacy request (customers/redact) deleted this person's records on ${view.redacted.at.slice(0, 10)}. ${whoseLabel(view.redacted.subject)}; only activity after that date is shown.</div>`
      : ''
  }
<nav class="toc" aria-label="Sections"><ul>
  <li><a href="#timeline-h">Timeline</a></li><li><a href="#graph-h">Identity graph</a></li><li><a href="#rollups-h">Rollups</a></li>
  <li><a href="#carts-h">Cart checks</a></li><li><a href="#dlq-h">Dead letters</a></li></ul></nav>
${renderSummary(view, view.people)}
${renderTimeline(items)}
${renderIdentityGraph(buildIdentityGraph(view.activities))}
${renderRollups(view)}
${renderCarts(view.carts)}
${renderDeadLetters(view.deadLetters)}
${view.notes.length > 0 ? html`<section class="card notes" aria-label="Notes"><ul>${view.notes.map((n) => html`<li>${n}</li>`)}</ul></section>` : ''}`;
};

/** The whole page: header, search form, and the person when one was asked for. */
export const renderPage = (model: PageModel): string =>
  html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${model.query ? `${model.query.term} — ` : ''}Connector inspector</title>
<link rel="stylesheet" href="/inspector/inspector.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><h1>Connector inspector</h1><p>${model.label}</p></header>
<main id="main">
${searchForm(model)}
${model.error ? html`<div class="banner empty" role="alert">${model.error}</div>` : ''}
${model.view ? personPage(model.view) : ''}
</main>
</body>
</html>
`.value;
