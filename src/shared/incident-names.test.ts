/** The documents name incidents as the screens do: the shared names equal the catalogues' `incident.<type>`. */
import { describe, expect, it } from 'vitest';
import { en } from '../ui/i18n/en';
import { kk } from '../ui/i18n/kk';
import { ru } from '../ui/i18n/ru';
import { INCIDENT_TYPES } from './incidents';
import { INCIDENT_NAMES } from './incident-names';

describe('INCIDENT_NAMES', () => {
  it.each(INCIDENT_TYPES)('%s is named as on the screens', (type) => {
    const key = `incident.${type}` as keyof typeof en;
    expect(INCIDENT_NAMES[type]).toEqual({ kk: kk[key], ru: ru[key], en: en[key] });
  });
});
