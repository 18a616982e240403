/** `phone-changed`: a number compares by its digits, without separators or the trunk `(0)` written after the country code. */
import { describe, expect, it } from 'vitest';
import { VFile } from 'vfile';
import { compareContacts } from '../pipeline/check/contacts.ts';
import { addTarget, addText, emptyContacts } from '../pipeline/check/find.ts';
import type { Reporter } from '../pipeline/check/report.ts';

/** The `phone-changed` findings for a translation of `source` as `translated`. */
function phoneFindings(source: string, translated: string): string[] {
  const found: string[] = [];
  const report = Object.assign((_file: VFile, rule: string, reason: string) => void found.push(`${rule}: ${reason}`), {
    enabled: () => true,
    info: () => undefined,
  }) as unknown as Reporter;
  const [before, after] = [source, translated].map((text) => {
    const contacts = emptyContacts();
    addText(contacts, text);
    return contacts;
  });
  compareContacts(before!, after!, { file: new VFile({ path: 'locales/fr/a.json' }), key: 'intro.call', locale: 'fr', note: source }, report);
  return found;
}

describe('phone numbers in translations', () => {
  it.each([
    ['Belgian', '+32 2 555 01 99', '+32 (0)2 555 01 99'],
    ['Dutch', '+31 20 123 4567', '+31 (0)20 123 4567'],
    ['French', '+33 1 23 45 67 89', '+33 (0)1 23 45 67 89'],
    ['Belgian, trunk written without a space', '+32 2 555 01 99', '+32(0)2 555 01 99'],
  ])('treats the %s trunk "(0)" after the country code as the same number', (_country, source, translated) => {
    expect(phoneFindings(`Call ${source} today.`, `Appelez le ${translated} aujourd'hui.`)).toEqual([]);
    expect(phoneFindings(`Call ${translated} today.`, `Appelez le ${source} aujourd'hui.`)).toEqual([]);
  });

  it.each([
    ['Belgian', '+32 2 555 01 99', '+32.2.555.01.99', '+32-2-555-01-99', '+32 2/555 01 99'],
    ['Dutch', '+31 20 123 4567', '+31 20-123-4567', '+31.20.123.4567', '+31 20/123 45 67'],
    ['French', '+33 1 23 45 67 89', '+33 1.23.45.67.89', '+33-1-23-45-67-89', '+33 1/23 45 67 89'],
  ])('treats a %s number written with other separators (spaces, dots, dashes, slashes) as the same number', (_country, source, ...forms) => {
    for (const form of forms) expect(phoneFindings(`Call ${source}.`, `Appelez le ${form}.`)).toEqual([]);
  });

  it.each([
    ['Belgian', '+32 2 555 01 99', '+32 (0)2 555 01 98'],
    ['Dutch', '+31 20 123 4567', '+31 (0)20 123 4568'],
    ['French', '+33 1 23 45 67 89', '+33 (0)1 23 45 67 80'],
  ])('still reports a changed digit in a %s number written with the trunk "(0)" as phone-changed', (_country, source, translated) => {
    expect(phoneFindings(`Call ${source} today.`, `Appelez le ${translated} aujourd'hui.`)).toEqual([
      `phone-changed: Phone number \`${source}\` changed to \`${translated}\` in the fr translation of \`intro.call\`, expected it unchanged`,
    ]);
  });

  it('keeps a "(0)" that is not right after the country code as digits', () => {
    expect(phoneFindings('Call +32 2 555 01 99.', 'Appelez le +32 2 (0)555 01 99.')).toHaveLength(1);
  });

  it('compares a tel: link with a spelled-out trunk "(0)" and encoded spaces by its digits', () => {
    const [link, text] = [emptyContacts(), emptyContacts()];
    addTarget(link, 'tel:+32%20(0)2%20555%2001%2099');
    addText(text, 'Call +32 2 555 01 99.');
    expect([...link.phones.keys()]).toEqual([...text.phones.keys()]);
  });
});
