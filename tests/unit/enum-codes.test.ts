import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { codeOf, GENDER_LABELS, genders, labelOf, MEMBER_CATEGORY_LABELS, memberCategories, memberCategory, withLabels } from '../../shared/common.js';
import { COMMENDATION_CATEGORY_LABELS, COMMENDATION_LEVEL_LABELS, commendationCategories, commendationLevels, defaultTitle } from '../../shared/commendations.js';
import { STUDY_WAY_LABELS, studyWays } from '../../shared/study.js';
import { TRANSFER_REASON_LABELS, TRANSFER_SCOPE_LABELS, transferReasons, transferScopes } from '../../shared/transfers.js';

const TUPLES: [readonly string[], Record<string, string>][] = [
  [genders, GENDER_LABELS],
  [memberCategories, MEMBER_CATEGORY_LABELS],
  [studyWays, STUDY_WAY_LABELS],
  [commendationCategories, COMMENDATION_CATEGORY_LABELS],
  [commendationLevels, COMMENDATION_LEVEL_LABELS],
  [transferScopes, TRANSFER_SCOPE_LABELS],
  [transferReasons, TRANSFER_REASON_LABELS],
];

describe('stored enum values are English codes, labelled in shared/', () => {
  it('every tuple holds lower-case codes, and each code has exactly one Chinese label', () => {
    for (const [codes, labels] of TUPLES) {
      expect(Object.keys(labels).sort()).toEqual([...codes].sort());
      for (const code of codes) expect(code).toMatch(/^[a-z][a-z_]*$/);
      for (const label of Object.values(labels)) expect(label).toMatch(/^[\u4e00-\u9fa5]+$/);
      expect(new Set(Object.values(labels)).size).toBe(codes.length);
    }
  });

  it('codeOf reads the label or the code, whatever the case and spaces; aliases; nothing for the unknown', () => {
    expect(codeOf(GENDER_LABELS, '男')).toBe('male');
    expect(codeOf(GENDER_LABELS, ' 女 ')).toBe('female');
    expect(codeOf(GENDER_LABELS, 'FEMALE')).toBe('female');
    expect(codeOf(MEMBER_CATEGORY_LABELS, '正式 党员')).toBe('full');
    expect(codeOf(MEMBER_CATEGORY_LABELS, ' Probationary')).toBe('probationary');
    expect(codeOf(MEMBER_CATEGORY_LABELS, '预备', { 预备: 'probationary' })).toBe('probationary');
    expect(codeOf(TRANSFER_SCOPE_LABELS, 'IN_PROVINCE')).toBe('in_province');
    expect(codeOf(MEMBER_CATEGORY_LABELS, '积极分子')).toBeUndefined();
    expect(codeOf(MEMBER_CATEGORY_LABELS, '')).toBeUndefined();
    expect(codeOf(MEMBER_CATEGORY_LABELS, 42)).toBeUndefined();
  });

  it('labels at the edges: labelOf, withLabels, the default certificate title', () => {
    expect(labelOf(STUDY_WAY_LABELS, 'platform')).toBe('平台自主学');
    expect(labelOf(STUDY_WAY_LABELS, null)).toBe('');
    expect(withLabels({ gender: 'male', category: 'full', name: '张三' }, { gender: GENDER_LABELS, category: MEMBER_CATEGORY_LABELS })).toEqual({
      gender: '男',
      category: '正式党员',
      name: '张三',
    });
    expect(defaultTitle(2026, 'outstanding_member')).toBe('2026年度优秀共产党员');
  });

  it('contracts accept codes only and describe each code with its label (OpenAPI)', () => {
    expect(memberCategory.safeParse('full').success).toBe(true);
    expect(memberCategory.safeParse('正式党员').success).toBe(false);
    expect((z.toJSONSchema(memberCategory) as { description?: string }).description).toBe('full=正式党员, probationary=预备党员');
  });
});
