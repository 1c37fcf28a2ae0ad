/** The 转接进度 subscribe message fits WeChat's keyword limits for every step the machine has. */
import { describe, expect, it } from 'vitest';
import { TRANSITIONS, transferProgressNotice } from '../../shared/transfers.js';

describe('transferProgressNotice', () => {
  it('every step fits the 20-character `thing` keywords, and a long comment is cut, not refused', () => {
    for (const t of TRANSITIONS) {
      const data = transferProgressNotice(t.action, t.to, '2026-06-15', '意见'.repeat(30));
      for (const key of ['thing1', 'thing2', 'thing4'] as const) expect(data[key].value.length).toBeLessThanOrEqual(20);
      expect(data.thing4.value.endsWith('…')).toBe(true);
      expect(data.date3.value).toBe('2026-06-15');
    }
  });

  it('says where to look when the step has no comment', () => {
    expect(transferProgressNotice('approve', 'letter_issued', '2026-06-15', null).thing4.value).toBe('请打开小程序查看办理进度');
  });
});
