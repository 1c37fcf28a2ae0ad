/** The yearly ledger of transfers (转进转出台账) as the county asks for it: its export contract and columns. */
import { z } from 'zod';
import { urlInt } from '../common.js';
import { endpoint } from '../http.js';

export const ledgerQuery = z
  .object({
    year: urlInt(2000, 2100, '年份'),
    format: z.enum(['xlsx']).default('xlsx'),
  })
  .strict();

export const exportLedger = endpoint({
  method: 'GET',
  path: '/api/transfers/ledger',
  summary: '导出年度组织关系转进转出台账（xlsx）',
  access: 'staff',
  ownership: 'township',
  query: ledgerQuery,
  response: null,
  idempotent: true,
});

/** The county's ledger columns, in order. */
export const LEDGER_COLUMNS = [
  '序号',
  '姓名',
  '性别',
  '民族',
  '人员类别',
  '转出/转入单位',
  '转往/来自单位',
  '范围',
  '介绍信编号',
  '开具日期',
  '有效期',
  '回执日期',
  '状态',
  '经办人',
  '类型',
] as const;
