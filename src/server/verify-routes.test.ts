/** The public check's language and page (pure parts). */
import { describe, expect, it } from 'vitest';
import { pageLanguage, verificationPage } from './verify-routes';

describe('pageLanguage', () => {
  it.each<[string | undefined, string | undefined, 'kk' | 'ru']>([
    ['ru', 'kk-KZ', 'ru'],
    [undefined, 'ru-RU,ru;q=0.9,en;q=0.8', 'ru'],
    [undefined, 'en-US,en;q=0.9,ru;q=0.5,kk;q=0.7', 'kk'],
    [undefined, 'kk,ru', 'kk'],
    [undefined, 'ru;q=0, kk;q=0.1', 'kk'],
    [undefined, 'en-GB', 'kk'],
    [undefined, undefined, 'kk'],
    ['en', 'ru', 'ru'],
  ])('?lang=%s, Accept-Language %s → %s', (query, accept, language) => {
    expect(pageLanguage(query, accept)).toBe(language);
  });
});

describe('verificationPage', () => {
  it("says the status in the language, escapes what it prints, and has no script or style (the centre's CSP)", () => {
    const page = verificationPage(
      {
        status: 'valid',
        number: '43210-74110001-4-140426-0001-00000001',
        holder: 'Сейтқали <b>Айгерім</b>',
        profession: { kk: 'Электромонтер', ru: 'Электромонтёр' },
        nqfLevel: 4,
        centre: { kk: 'Орталық', ru: 'Центр' },
        issuedOn: '2026-04-14',
        revokedOn: null,
      },
      'kk',
    );
    expect(page).toContain('<html lang="kk">');
    expect(page).toContain('Құжат жарамды');
    expect(page).toContain('Сейтқали &lt;b&gt;Айгерім&lt;/b&gt;');
    expect(page).not.toMatch(/<script|<style|style=/);
    expect(verificationPage({ status: 'unknown', number: '"x"' }, 'ru')).toContain('Документ с таким номером не найден');
  });
});
