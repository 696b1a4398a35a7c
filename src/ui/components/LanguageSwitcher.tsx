import { UI_LANGUAGES, type UiLanguage } from '../../shared/languages';
import { setUiLanguage, useT, useUiLanguage } from '../i18n/i18n';

export function LanguageSwitcher(props: { languages?: readonly UiLanguage[] }) {
  const t = useT();
  const current = useUiLanguage();
  return (
    <label className="lang-switch">
      <span className="visually-hidden">{t('lang.switch')}</span>
      <select value={current} onChange={(e) => setUiLanguage(e.target.value as UiLanguage)}>
        {(props.languages ?? UI_LANGUAGES).map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`lang.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
