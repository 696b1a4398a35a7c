/**
 * The first screen, when this browser cannot run the exam. The candidate has not chosen a
 * language yet, so it speaks both (Kazakh, then Russian), says why in plain words and which browsers
 * work, before the candidate spends any time. The centre logs it for the proctor (browser.unsupported).
 */
import { MIN_BROWSER_VERSION, type BrowserVerdict } from '../shared/browser-support';
import { translator } from '../ui/i18n/i18n';

const LANGUAGES = ['kk', 'ru'] as const;

export function UnsupportedBrowser({ verdict }: { verdict: Extract<BrowserVerdict, { ok: false }> }) {
  return (
    <section className="card" data-testid="browser-unsupported" data-reason={verdict.reason} aria-labelledby="browser-title-kk">
      {LANGUAGES.map((language) => {
        const t = translator(language);
        const vars = {
          name: t(`browser.name.${verdict.browser.name}`),
          version: verdict.browser.version === null ? '' : String(verdict.browser.version),
          minVersion: verdict.minVersion ?? '',
        };
        return (
          <div key={language} lang={language} className="browser-verdict">
            <h1 id={`browser-title-${language}`}>{t('browser.title')}</h1>
            <p role={language === 'kk' ? 'alert' : undefined}>{t(`browser.${verdict.reason}`, vars)}</p>
            <p>{t('browser.supported', MIN_BROWSER_VERSION)}</p>
          </div>
        );
      })}
    </section>
  );
}
