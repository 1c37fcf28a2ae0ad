/** shared/settings.ts: township over county over default, key by key (item by item in groups); malformed reads as not set. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, effectiveSettings, ownSettings, ownSettingsOf, resolveSettings, storedSettings } from '../../shared/settings.js';

describe('effectiveSettings', () => {
  it('nothing set: the built-in defaults (month window, 10/30/30 days, 主题党日 on the 10th, 回执 within a month)', () => {
    expect(effectiveSettings(undefined, undefined)).toEqual(DEFAULT_SETTINGS);
    expect(effectiveSettings(null, 'nonsense')).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS).toMatchObject({ birthdayWindow: 'month', partyDayOfMonth: 10, receiptDueDays: null, transferValidityDays: { in_county: 10, in_province: 30, out_of_province: 30 } });
  });

  it('the township wins over the county, key by key and item by item', () => {
    const county = { birthdayWindow: 'quarter', partyDayOfMonth: 15, transferValidityDays: { in_county: 7, out_of_province: 60 } };
    const township = { partyDayOfMonth: 20, transferValidityDays: { in_county: 5 } };
    const { values, sources } = resolveSettings(county, township);
    expect(values).toMatchObject({ birthdayWindow: 'quarter', partyDayOfMonth: 20, transferValidityDays: { in_county: 5, in_province: 30, out_of_province: 60 } });
    expect(sources).toMatchObject({ birthdayWindow: 'county', partyDayOfMonth: 'township', transferValidityDays: { in_county: 'township', in_province: 'default', out_of_province: 'county' } });
  });

  it('a malformed or out-of-bounds value falls through to the county, then the default', () => {
    const county = { partyDayOfMonth: 12, orglifeFrequencies: { party_lecture: 'monthly' } };
    const township = { partyDayOfMonth: 31, transferValidityDays: { in_county: 91 }, orglifeFrequencies: { party_lecture: 'hourly', talks: 'quarterly' }, birthdayReminderTemplateId: '' };
    const { values, sources } = resolveSettings(county, township);
    expect([values.partyDayOfMonth, sources.partyDayOfMonth]).toEqual([12, 'county']);
    expect(values.transferValidityDays.in_county).toBe(10);
    expect(values.orglifeFrequencies).toMatchObject({ party_lecture: 'monthly', talks: 'quarterly', branch_committee: 'monthly' });
    expect(values.birthdayReminderTemplateId).toBeNull();
  });
});

describe('own settings (what PUT stores)', () => {
  it('the schema bounds each key and refuses unknown ones', () => {
    expect(ownSettings.safeParse({ partyDayOfMonth: 28, receiptDueDays: 30, transferValidityDays: { in_county: 90 } }).success).toBe(true);
    for (const bad of [{ partyDayOfMonth: 29 }, { transferValidityDays: { in_county: 91 } }, { receiptDueDays: 6 }, { birthdayWindow: 'year' }, { other: 1 }, { transferValidityDays: { abroad: 10 } }]) {
      expect(ownSettings.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('null means "follow the default"; keys this module does not own are kept', () => {
    const stored = storedSettings({ establishedOn: '2003-07-01', partyDayOfMonth: 12 }, { partyDayOfMonth: null, birthdayWindow: 'quarter', transferValidityDays: { in_county: null } });
    expect(stored).toEqual({ establishedOn: '2003-07-01', birthdayWindow: 'quarter' });
    expect(ownSettingsOf({ ...stored, partyDayOfMonth: 'x', transferValidityDays: { in_county: 8, in_province: 0 } })).toEqual({ birthdayWindow: 'quarter', transferValidityDays: { in_county: 8 } });
  });
});
