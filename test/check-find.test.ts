/** The finders behind contact integrity: what counts as an email address, a phone number, a URL, a placeholder, a malformed target. */
import { describe, expect, it } from 'vitest';
import { findEmails, findPhones, findUrls, isValidEmail, phoneDigits } from '../pipeline/check/find.ts';
import { placeholderReason } from '../pipeline/check/placeholders.ts';
import { malformedReason } from '../pipeline/check/links.ts';
import { retryAfterMs } from '../pipeline/check/probe.ts';
import { likelyLanguage } from '../pipeline/check/translation.ts';

describe('check finders', () => {
  it('finds phone numbers in their usual forms, and not dates, years, ports or ISO numbers', () => {
    const text = 'Call +32 2 555 01 23, 02 555 01 23 or (02) 555 01 23 (not on 01/02/2024); ISO 27001, port 5060, 2023-09-18.';
    expect(findPhones(text)).toEqual(['+32 2 555 01 23', '02 555 01 23', '(02) 555 01 23']);
    expect(phoneDigits('+32 (0)2 555 01 23')).toBe(phoneDigits('+32 2 555 01 23'));
  });

  it('finds email-shaped words, valid or not, but not paths with an @', () => {
    expect(findEmails('Mail a.b@c.be, x@y. or see https://x.org/@team.')).toEqual(['a.b@c.be', 'x@y']);
    expect(['a.b@c.be', 'first+tag@sub.example.org'].map(isValidEmail)).toEqual([true, true]);
    expect(['x@y', 'a..b@c.be', '@c.be', 'a@b@c.be', 'a@-c.be', 'a@c.b'].map(isValidEmail)).toEqual([false, false, false, false, false, false]);
  });

  it('finds bare web addresses typed as text', () => {
    expect(findUrls('See https://acme.be/x. or www.acme.nl, not acme.')).toEqual(['https://acme.be/x', 'http://www.acme.nl']);
  });

  it('tells placeholders from real targets', () => {
    expect(
      ['#', '', ' ', 'TODO', 'todo.html', 'https://example.com/x', 'http://sub.example.org', 'http://localhost:3000'].map((url) =>
        Boolean(placeholderReason(url)),
      ),
    ).toEqual([true, true, true, true, true, true, true, true]);
    expect(['#intro', 'https://acme.be', 'other.md', 'mailto:a@b.be', 'http://127.0.0.1:8080/'].map((url) => Boolean(placeholderReason(url)))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('tells malformed targets from well-formed ones', () => {
    const bad = [
      'www.acme.be',
      'acme.be/news',
      'htps://acme.be',
      'https:/acme.be',
      'https://acme',
      'javascript:alert(1)',
      'a b.html',
      'tel:call-me',
      'press@acme.be',
    ];
    expect(bad.filter((url) => !malformedReason(url))).toEqual([]);
    const good = [
      'https://acme.be/x?y#z',
      'http://localhost',
      'mailto:a@b.be',
      'tel:+3225550123',
      'other.md#plan',
      '../other/',
      '//cdn.acme.be/x.png',
      'ftp://files.acme.be',
    ];
    expect(good.filter((url) => malformedReason(url))).toEqual([]);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  it('recognises a language by its common words only when they clearly dominate', () => {
    expect(likelyLanguage('het kantoor is voor de klanten van de stad en de regio', ['nld', 'fra', 'eng'])).toBe('nld');
    expect(likelyLanguage('the office is open for the customers of the city', ['nld', 'fra', 'eng'])).toBe('eng');
    expect(likelyLanguage('Acme Yealink Teams', ['nld', 'fra', 'eng'])).toBeUndefined();
  });
});
