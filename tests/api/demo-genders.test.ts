/** The demo data reads true to a village: a member named 张凤英 or 徐桂兰 is 女, a 李建国 is 男 (issue 19.8). */
import { expect, it } from 'vitest';
import { members } from '../../db/schema/index.js';
import { describeEachDriver } from '../helpers/harness.js';

const FEMALE = /(秀英|桂兰|海燕|玉梅|淑芬|丽娟|红霞|凤英|金花|晓梅|春燕|玉兰|秀云|丽萍|春梅|红英|淑珍)$/;
const MALE = /(建国|志强|德明|国庆|春生|晓东|振华|卫东|明亮|守仁|闰生|红旗|立新|国强|建华|广林|志刚|文涛)$/;

describeEachDriver('demo genders', (ctx) => {
  it('every seeded member whose given name is plainly a woman’s or a man’s has that gender', async () => {
    const rows = await ctx().db.select({ name: members.name, gender: members.gender }).from(members);
    const wrong = rows.filter((m) => (FEMALE.test(m.name) && m.gender !== 'female') || (MALE.test(m.name) && m.gender !== 'male'));
    expect(wrong).toEqual([]);
    expect(rows.filter((m) => FEMALE.test(m.name)).length).toBeGreaterThan(5);
    expect(rows.filter((m) => MALE.test(m.name)).length).toBeGreaterThan(5);
  });
});
