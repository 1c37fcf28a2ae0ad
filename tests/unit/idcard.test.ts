import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkIdNumber, idCheckChar, maskIdNumber } from '../../shared/idcard.js';
import { isMainlandMobile, maskPhone, normalizePhone } from '../../shared/phone.js';
import { makeIdNumber } from '../../db/seed/identity.js';

describe('GB 11643 ID numbers', () => {
  it('accepts the standard samples, including an X check character', () => {
    expect(checkIdNumber('11010519491231002X')).toEqual({ ok: true, info: { birthDate: '1949-12-31', gender: 'female' } });
    expect(checkIdNumber('440524188001010014')).toEqual({ ok: true, info: { birthDate: '1880-01-01', gender: 'male' } });
    expect(checkIdNumber('11010519491231002x').ok).toBe(true);
  });

  it('refuses a wrong check character, a bad shape and an impossible birth date', () => {
    expect(checkIdNumber('110105194912310021')).toEqual({ ok: false, problem: 'checksum' });
    expect(checkIdNumber('11010519491231002')).toEqual({ ok: false, problem: 'format' });
    expect(checkIdNumber('1101051949123100ZX')).toEqual({ ok: false, problem: 'format' });
    const feb30 = '11010520260230001';
    expect(checkIdNumber(feb30 + idCheckChar(feb30))).toEqual({ ok: false, problem: 'birthdate' });
  });

  it('any single-digit change is caught by the check character', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const id = '440524188001010014';
        const changed = id.slice(0, pos) + String((Number(id[pos]) + delta) % 10) + id.slice(pos + 1);
        return checkIdNumber(changed).ok === false;
      }),
    );
  });

  it('demo ID numbers are valid and encode their birth date and gender', () => {
    const id = makeIdNumber('1996-02-29', 'female', 12);
    expect(checkIdNumber(id)).toEqual({ ok: true, info: { birthDate: '1996-02-29', gender: 'female' } });
  });

  it('masks all but the first four characters and the check character; a wider old mask narrows to the same', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('1101*************X');
    expect(maskIdNumber('1101**********002X')).toBe('1101*************X');
    expect(maskIdNumber(maskIdNumber('440524188001010014'))).toBe('4405*************4');
  });
});

describe('mainland mobile numbers', () => {
  it('accepts 11-digit numbers from 13 to 19, with +86 or spaces', () => {
    expect(isMainlandMobile('13812345678')).toBe(true);
    expect(isMainlandMobile('+86 138 1234 5678')).toBe(true);
    expect(normalizePhone('+86 138-1234-5678')).toBe('13812345678');
    expect(isMainlandMobile('12812345678')).toBe(false);
    expect(isMainlandMobile('1381234567')).toBe(false);
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
});
