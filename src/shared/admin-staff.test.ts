/** The centre's 4-digit accreditation number (Appendix 2, level 5) taken from the settings' free text. */
import { describe, expect, it } from 'vitest';
import { accreditationDigits, centreSettingsSchema, settingErrors } from './admin-staff';

describe('accreditationDigits', () => {
  it.each<[string, string | null]>([
    ['KZ-ACC-0042', '0042'],
    ['0001', '0001'],
    ['  № 2023/0815 ', '0815'],
    ['ACC 2019-7777 (renewed)', '7777'],
    ['KZ-ACC-42', null],
    ['KZ-00421', null],
    ['no digits', null],
    ['', null],
  ])('%j → %j', (text, digits) => {
    expect(accreditationDigits(text)).toBe(digits);
  });

  it('the settings refuse an accreditation number without its 4 digits, with a code the page translates', () => {
    const base = { name: { kk: 'a', ru: 'b', en: 'c' }, contact: { phone: null, email: null }, timeZone: 'Asia/Almaty' };
    expect(centreSettingsSchema.safeParse({ ...base, accreditationNo: 'KZ-ACC-0042' }).success).toBe(true);
    const refused = centreSettingsSchema.safeParse({ ...base, accreditationNo: 'KZ-ACC-42' });
    expect(refused.success).toBe(false);
    if (!refused.success) expect(settingErrors(refused.error)).toEqual({ accreditationNo: 'accreditation_digits' });
  });
});
