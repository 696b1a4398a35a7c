/**
 * Rule 11 (access for people with disabilities): text size and high contrast, in the header of every
 * candidate screen and for everyone. Native radios (one Tab stop, arrows choose) and a checkbox, so
 * keyboards and screen readers get them for free; the choice is kept in this browser (display-store.ts).
 */
import { chooseHighContrast, chooseTextSize, useDisplay } from '../display-store';
import { TEXT_SCALE_PERCENT, TEXT_SIZES } from '../display-preference';
import { useT } from '../i18n/i18n';

export function DisplaySwitch() {
  const t = useT();
  const display = useDisplay();
  return (
    <div className="display-switch" role="group" aria-label={t('display.label')} data-testid="display-switch">
      <fieldset className="text-size">
        <legend>{t('display.textSize')}</legend>
        {TEXT_SIZES.map((size) => (
          <label key={size} className="text-size-option" data-size={size}>
            <input
              type="radio"
              name="display-text-size"
              value={size}
              checked={display.textSize === size}
              onChange={() => chooseTextSize(size)}
              data-testid={`text-size-${size}`}
            />
            <span>{`${TEXT_SCALE_PERCENT[size]}%`}</span>
          </label>
        ))}
      </fieldset>
      <label className="contrast-switch">
        <input
          type="checkbox"
          checked={display.highContrast}
          onChange={(e) => chooseHighContrast(e.target.checked)}
          data-testid="high-contrast"
        />
        {t('display.highContrast')}
      </label>
    </div>
  );
}
