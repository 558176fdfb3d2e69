import { describe, expect, it } from 'vitest';
import { escapeHtml, html } from '../../../shared/inspector/html.js';

const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(1)",
  '`\u0024{alert(1)}`',
  '&lt;already&gt; &amp; escaped',
  '</textarea><svg/onload=alert(1)>',
];

describe('html', () => {
  it.each(HOSTILE)('escapes %s in text and in a quoted attribute', (value) => {
    const out = html`<p title="${value}">${value}</p>`.value;
    expect(out).not.toMatch(/<(script|img|svg)/i);
    expect(out).not.toMatch(/"[^"]*"[^>]*on\w+=/i);
    expect(out.match(/"/g)).toHaveLength(2);
    expect(out).toBe(`<p title="${escapeHtml(value)}">${escapeHtml(value)}</p>`);
  });

  it('passes markup it built itself, joins lists and drops nothing-values', () => {
    const items = ['<a>', 'b'].map((v) => html`<li>${v}</li>`);
    expect(html`<ul>${items}${undefined}${null}${false}${0}</ul>`.value).toBe(
      '<ul><li>&lt;a&gt;</li><li>b</li>0</ul>',
    );
  });
});
