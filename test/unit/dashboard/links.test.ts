import { describe, expect, it } from 'vitest';
import { webLink } from '../../../infra/dashboard/src/links.js';

describe('dashboard links from incident data', () => {
  it('link http(s) URLs only: a javascript: or data: URL in a run or job URL is shown as text', () => {
    expect(webLink('https://github.com/acme/app/actions/runs/1')).toBe('https://github.com/acme/app/actions/runs/1');
    expect(webLink('http://ghes.internal/acme/app/actions/runs/1')).toBe('http://ghes.internal/acme/app/actions/runs/1');
    expect([webLink('javascript:alert(document.domain)'), webLink(' JavaScript:alert(1)'), webLink('data:text/html,<script>'), webLink(''), webLink(null)]).toEqual([null, null, null, null, null]);
  });
});
