/**
 * Tried as a new user would: an exam link cut short, or one the centre does not
 * know, says that the link is invalid (not "you need your personal link"), in the page's language,
 * with no English reason from the centre in it.
 */
import { describe, expect, it } from 'vitest';
import { browserSuite } from './support/suite';

const suite = browserSuite();
const WAIT = { timeout: 15_000 };

describe('an exam link that does not work', () => {
  it('cut short or unknown: "the link is invalid", in Russian, without the centre\'s English reason', async () => {
    const h = suite.centre;
    const { url } = await h.issueToken();
    const context = await suite.newContext('ru-RU');
    const page = await context.newPage();
    await page.addInitScript(() => localStorage.setItem('tanu.lang', 'ru'));

    // Cut short when copied: the token lost most of its characters.
    await page.goto(url.slice(0, url.indexOf('#t=') + 12));
    const invalid = page.getByTestId('link-invalid');
    await invalid.waitFor(WAIT);
    const text = await invalid.innerText();
    expect(text).toContain('Ссылка на экзамен недействительна');
    expect(text).not.toContain('персональная ссылка');
    expect(text).not.toMatch(/[A-Za-z]/);

    // Whole in shape, but not a link the centre issued (a character changed): the centre refuses it.
    const token = url.slice(url.indexOf('#t=') + 3);
    const wrong = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const other = await context.newPage();
    await other.goto(`${h.url}/exam#t=${wrong}`);
    const refused = other.getByTestId('refused');
    await refused.waitFor(WAIT);
    const reason = await refused.innerText();
    expect(reason).toContain('Ссылка на экзамен недействительна');
    expect(reason).not.toMatch(/[A-Za-z]/);
  });
});
