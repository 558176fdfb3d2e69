/**
 * The inspector's one stylesheet (served from /inspector/inspector.css; the page allows no inline style or script).
 * Colours meet WCAG AA contrast on white (4.5:1 and above for text); every status is also written in words.
 */
export const INSPECTOR_CSS = `
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa; --card: #fff;
  --ok: #1a7f37; --ok-bg: #dafbe1; --warn: #7d4e00; --warn-bg: #fff8c5; --bad: #b3261e; --bad-bg: #ffebe9;
  --info: #0550ae; --info-bg: #ddf4ff; --focus: #0550ae; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--info); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -9999px; top: 0; background: var(--card); padding: .5rem 1rem; }
.skip:focus { left: 1rem; z-index: 10; }
header.top { background: #24292f; color: #fff; padding: .75rem 1.5rem; display: flex; gap: 1rem; align-items: baseline; flex-wrap: wrap; }
header.top h1 { font-size: 1.15rem; margin: 0; }
header.top p { margin: 0; color: #d1d9e0; font-size: .9rem; }
main { max-width: 1120px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
form.search { display: grid; grid-template-columns: minmax(16rem, 2fr) minmax(10rem, 1fr) minmax(12rem, 1fr) auto; gap: .75rem; align-items: end;
  background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1rem; }
form.search label { display: block; font-weight: 600; font-size: .85rem; margin-bottom: .25rem; }
form.search input, form.search select { width: 100%; font: inherit; padding: .45rem .6rem; border: 1px solid #818b98; border-radius: 6px; background: #fff; color: var(--ink); }
form.search button { font: inherit; font-weight: 600; padding: .5rem 1.1rem; border-radius: 6px; border: 1px solid #1a7f37; background: #1f883d; color: #fff; cursor: pointer; }
.hint { color: var(--muted); font-size: .85rem; margin: .5rem 0 0; }
section.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; margin-top: 1rem; }
section.card h2 { font-size: 1.1rem; margin: 0 0 .75rem; }
.summary dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
.summary dt { color: var(--muted); }
.summary dd { margin: 0; }
nav.toc ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; padding: 0; margin: .75rem 0 0; }
.banner { border-radius: 8px; padding: .75rem 1rem; margin-top: 1rem; font-weight: 600; }
.banner.redacted { background: var(--info-bg); border: 1px solid var(--info); }
.banner.empty { background: var(--warn-bg); border: 1px solid #d4a72c; }
ol.timeline { list-style: none; margin: 0; padding: 0 0 0 1.5rem; border-left: 3px solid var(--line); }
ol.timeline > li { position: relative; margin: 0 0 1rem; padding: .6rem .9rem; border: 1px solid var(--line); border-radius: 8px; background: #fff; }
ol.timeline > li::before { content: ""; position: absolute; left: -2.05rem; top: .9rem; width: .9rem; height: .9rem; border-radius: 50%; border: 3px solid #fff; background: var(--muted); }
ol.timeline > li.kind-webhook::before { background: var(--info); }
ol.timeline > li.kind-beacon::before { background: #8250df; }
ol.timeline > li.kind-sent::before { background: var(--ok); }
ol.timeline > li.kind-cart-check::before { background: #bc4c00; }
ol.timeline > li.kind-parked::before { background: var(--bad); }
.item-head { display: flex; flex-wrap: wrap; gap: .25rem .75rem; align-items: baseline; }
.item-head h3 { font-size: 1rem; margin: 0; }
.kind { font-size: .75rem; font-weight: 700; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
time { color: var(--muted); font-variant-numeric: tabular-nums; font-size: .9rem; }
.whose { color: var(--muted); font-size: .9rem; }
ul.rows { list-style: none; margin: .4rem 0 0; padding: 0; }
ul.rows li { padding: .2rem 0; border-top: 1px dashed #e6eaef; }
.row-label { display: inline-block; min-width: 5.5rem; font-weight: 600; color: var(--muted); font-size: .85rem; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85rem; }
code { background: var(--bg); padding: 0 .25rem; border-radius: 4px; }
.badge { display: inline-block; font-size: .78rem; font-weight: 600; padding: 0 .45rem; border-radius: 999px; border: 1px solid; margin-left: .35rem; }
.badge.ok { color: var(--ok); background: var(--ok-bg); border-color: var(--ok); }
.badge.warn { color: var(--warn); background: var(--warn-bg); border-color: #d4a72c; }
.badge.bad { color: var(--bad); background: var(--bad-bg); border-color: var(--bad); }
.badge.info { color: var(--info); background: var(--info-bg); border-color: var(--info); }
table { width: 100%; border-collapse: collapse; font-size: .9rem; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg); font-weight: 600; }
td code { word-break: break-all; }
details summary { cursor: pointer; color: var(--info); }
pre { white-space: pre-wrap; word-break: break-word; background: var(--bg); padding: .75rem; border-radius: 6px; max-height: 28rem; overflow: auto; }
.notes { color: var(--muted); font-size: .85rem; }
@media (max-width: 760px) { form.search { grid-template-columns: 1fr; } }
`;
