import type { KnownPerson } from '../identity/identity-store.js';
import { presentDeadLetter } from '../operations/dead-letter.js';
import { html, type SafeHtml } from './html.js';
import { type GraphNode, latestRollups } from './identity-graph.js';
import type { CartState, DeadLetterView } from './inspector-sources.js';
import type { PersonView } from './person-view.js';
import type { Badge, TimelineItem } from './timeline.js';
import { whoseLabel } from './timeline.js';

/** An email as the page shows it: first letter and domain (`a•••@example.com`). */
const maskEmail = (email: string): string => {
  const at = email.lastIndexOf('@');
  return at <= 0 ? '•••' : `${email.charAt(0)}•••${email.slice(at)}`;
};

/** A phone as the page shows it: country code and last two digits. */
const maskPhone = (phone: string): string =>
  phone.length <= 4 ? '•••' : `${phone.slice(0, phone.startsWith('+1') ? 2 : 3)} ••• ${phone.slice(-2)}`;

const timeOf = (iso: string): SafeHtml =>
  html`<time datetime="${iso}">${iso
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC')
    .replace(/Z$/, ' UTC')}</time>`;

const badge = (b: Badge): SafeHtml => html`<span class="badge ${b.tone}">${b.text}</span>`;

const KIND_LABELS: Readonly<Record<TimelineItem['kind'], string>> = {
  webhook: 'Webhook',
  beacon: 'Beacon',
  sent: 'Customer.io',
  'cart-check': 'Cart check',
  parked: 'Dead letter',
  redacted: 'Privacy',
};

/** The person card: who, which partitions were read, the counts. */
export const renderSummary = (view: PersonView, people: readonly KnownPerson[]): SafeHtml => {
  const customers = [...new Set(people.flatMap((p) => (p.customer_id ? [p.customer_id] : [])))];
  const emails = [...new Set(people.flatMap((p) => (p.email ? [maskEmail(p.email)] : [])))];
  const phones = [...new Set(people.flatMap((p) => (p.phone ? [maskPhone(p.phone)] : [])))];
  const deliveries = view.activities.filter((a) => a.entry.kind === 'delivery').length;
  const events = view.activities.reduce(
    (n, a) => n + (a.entry.kind === 'delivery' ? a.entry.events.length : 0),
    0,
  );
  const ops = view.activities.reduce(
    (n, a) => n + (a.entry.kind === 'sent' ? a.entry.operations.length : 0),
    0,
  );
  return html`<section class="card summary" aria-labelledby="summary-h">
  <h2 id="summary-h">Person</h2>
  <dl>
    <dt>Shop</dt><dd>${view.query.shop}</dd>
    <dt>Customer id</dt><dd>${customers.length > 0 ? customers.join(', ') : 'not known'}</dd>
    <dt>Email</dt><dd>${emails.length > 0 ? emails.join(', ') : 'not known'}</dd>
    ${phones.length > 0 ? html`<dt>Phone</dt><dd>${phones.join(', ')}</dd>` : ''}
    <dt>Records read from</dt><dd>${view.subjects.map(whoseLabel).join(' · ') || 'nothing'}</dd>
    <dt>Counts</dt><dd>${deliveries} deliveries, ${events} canonical events, ${ops} Customer.io operations, ${view.deadLetters.length} dead letters</dd>
  </dl>
</section>`;
};

/** The timeline: one list item per step, with its rows and badges. */
export const renderTimeline = (items: readonly TimelineItem[]): SafeHtml =>
  html`<section class="card" aria-labelledby="timeline-h">
  <h2 id="timeline-h">Timeline</h2>
  ${
    items.length === 0
      ? html`<p>No activity recorded for this person (the activity record may be off: ACTIVITY_LOG=off).</p>`
      : html`<ol class="timeline">${items.map(
          (item) => html`<li class="kind-${item.kind}">
    <div class="item-head"><span class="kind">${KIND_LABELS[item.kind]}</span><h3>${item.title}</h3>${timeOf(item.at)}<span class="whose">${item.whose}</span>${item.badges.map(badge)}</div>
    ${
      item.rows.length > 0
        ? html`<ul class="rows">${item.rows.map(
            (row) =>
              html`<li><span class="row-label">${row.label}</span> ${row.text}${row.code ? html` <code>${row.code}</code>` : ''}${(row.badges ?? []).map(badge)}</li>`,
          )}</ul>`
        : ''
    }
  </li>`,
        )}</ol>`
  }
</section>`;

const GRAPH_LABELS: Readonly<Record<GraphNode['kind'], string>> = {
  browser: 'Browser (anonymous id)',
  cart: 'Cart token',
  checkout: 'Checkout token',
  order: 'Order',
  profile: 'Profile merge',
};

/** The identity graph: each identifier and the deliveries that linked and merged it. */
export const renderIdentityGraph = (nodes: readonly GraphNode[]): SafeHtml =>
  html`<section class="card" aria-labelledby="graph-h">
  <h2 id="graph-h">Identity graph</h2>
  ${
    nodes.length === 0
      ? html`<p>No browsers, carts, checkouts or orders linked yet.</p>`
      : html`<table><caption class="notes">Which delivery made each link</caption>
    <thead><tr><th scope="col">Identifier</th><th scope="col">Value</th><th scope="col">Linked by</th><th scope="col">Merged into the person by</th></tr></thead>
    <tbody>${nodes.map(
      (
        node,
      ) => html`<tr><th scope="row">${GRAPH_LABELS[node.kind]}</th><td><code>${node.kind === 'profile' ? node.value.replace(/email:[0-9a-f]+/g, 'email (hashed)') : node.value}</code></td>
      <td>${node.linkedBy.what} ${timeOf(node.linkedBy.at)}<br><code>${node.linkedBy.deliveryId}</code></td>
      <td>${node.mergedBy ? html`${node.mergedBy.what} ${timeOf(node.mergedBy.at)}<br><code>${node.mergedBy.deliveryId}</code>` : node.kind === 'browser' ? 'not merged' : '—'}</td></tr>`,
    )}</tbody></table>`
  }
</section>`;

/** The latest rollups sent. */
export const renderRollups = (view: PersonView): SafeHtml => {
  const rollups = latestRollups(view.activities);
  return html`<section class="card" aria-labelledby="rollups-h">
  <h2 id="rollups-h">Rollups</h2>
  ${
    rollups
      ? html`<p>As last sent ${timeOf(rollups.at)} (${rollups.updates} update(s) on this page).</p>
  <table><tbody>${Object.entries(rollups.values).map(
    ([name, value]) => html`<tr><th scope="row"><code>${name}</code></th><td>${value}</td></tr>`,
  )}</tbody></table>`
      : html`<p>No rollups sent (test orders do not count unless ROLLUPS_INCLUDE_TEST_ORDERS=true).</p>`
  }
</section>`;
};

const cartState = (cart: CartState): SafeHtml => {
  if (cart.converted_at)
    return html`${badge({ text: 'converted', tone: 'ok' })} ${timeOf(cart.converted_at)}${cart.converted_order_id ? html` by <code>${cart.converted_order_id}</code>` : ''}`;
  if (cart.exit_reason) return badge({ text: `exited: ${cart.exit_reason}`, tone: 'info' });
  if (cart.pending.step > 0) {
    return html`${badge({ text: `pending: step ${cart.pending.step}`, tone: 'warn' })} due ${timeOf(cart.pending.due_at)}`;
  }
  return badge({ text: 'no check pending', tone: 'info' });
};

/** The carts' recovery state now. */
export const renderCarts = (carts: readonly CartState[]): SafeHtml =>
  html`<section class="card" aria-labelledby="carts-h">
  <h2 id="carts-h">Cart checks</h2>
  ${
    carts.length === 0
      ? html`<p>No cart recovery record for this person's carts.</p>`
      : html`<table><thead><tr><th scope="col">Cart</th><th scope="col">State</th><th scope="col">Steps sent</th><th scope="col">Last activity</th><th scope="col">Contents</th></tr></thead>
    <tbody>${carts.map(
      (
        cart,
      ) => html`<tr><th scope="row"><code>${cart.cart_token}</code>${cart.checkout_token ? html`<br>checkout <code>${cart.checkout_token}</code>` : ''}</th>
      <td>${cartState(cart)}</td><td>${cart.emitted_steps.length > 0 ? cart.emitted_steps.join(', ') : 'none'}</td>
      <td>${cart.last_activity_at ? timeOf(cart.last_activity_at) : '—'}</td>
      <td>${cart.item_count ?? cart.line_items.length} item(s), ${cart.total.toFixed(2)} ${cart.currency ?? ''}</td></tr>`,
    )}</tbody></table>`
  }
</section>`;

const letterBlock = (view: DeadLetterView): SafeHtml => {
  const letter = presentDeadLetter(view.letter, false);
  const f = letter.failure;
  const body =
    letter.payload.format === 'json' ? JSON.stringify(letter.payload.value, null, 2) : letter.payload.text;
  return html`<li>
    <div class="item-head"><span class="kind">${letter.dlq} DLQ</span><h3>${[letter.source, letter.topic].filter(Boolean).join(' ') || letter.kind}</h3>${badge({ text: f.code, tone: 'bad' })}${f.class ? badge({ text: f.class, tone: 'warn' }) : ''}</div>
    <ul class="rows">
      <li><span class="row-label">Reason</span> ${f.reason ?? '—'}</li>
      <li><span class="row-label">Message</span> <code>${letter.messageId}</code>${letter.deliveryId ? html` delivery <code>${letter.deliveryId}</code>` : ''}</li>
      <li><span class="row-label">Parked</span> ${f.failedAt ? timeOf(f.failedAt) : 'time not recorded'}${f.attempts !== undefined ? ` after ${f.attempts} attempt(s)` : ''}</li>
    </ul>
    <details><summary>Payload (${letter.masked} personal value(s) masked)</summary><pre>${body}</pre></details>
  </li>`;
};

/** The dead letters that name the person (masked, as the ops CLI shows them). */
export const renderDeadLetters = (letters: readonly DeadLetterView[]): SafeHtml =>
  html`<section class="card" aria-labelledby="dlq-h">
  <h2 id="dlq-h">Dead letters</h2>
  ${
    letters.length === 0
      ? html`<p>No message about this person in the DLQs.</p>`
      : html`<p class="notes">Redrive or purge them with <code>npm run ops</code> (docs/runbook.md).</p><ol class="timeline">${letters.map(letterBlock)}</ol>`
  }
</section>`;
