/** The 发展党员 档案: the materials in the order the file keeps them, one per step (the export's checklist). */
import type { DevelopmentStep } from './rules.js';

export const ARCHIVE_ORDER: readonly { step: DevelopmentStep; material: string }[] = [
  { step: 'application', material: '入党申请书' },
  { step: 'talk', material: '谈话记录' },
  { step: 'activist', material: '推荐入党积极分子材料、支委会确定积极分子的记录、培养联系人' },
  { step: 'activist_review', material: '入党积极分子培养教育考察登记表（每半年考察）' },
  { step: 'candidate', material: '确定发展对象的支委会记录（含党员和群众意见）' },
  { step: 'political_review', material: '政治审查材料' },
  { step: 'training', material: '短期集中培训结业证明（不少于3天或24学时）' },
  { step: 'committee_review', material: '支委会审查意见' },
  { step: 'pre_review', material: '党委预审意见' },
  { step: 'notice', material: '公示情况报告（不少于5个工作日）' },
  { step: 'branch_meeting', material: '入党志愿书、支部大会记录及决议' },
  { step: 'approval', material: '党委审批意见' },
  { step: 'probation_review', material: '预备党员考察材料' },
  { step: 'extension', material: '延长预备期的支部大会决议' },
  { step: 'confirmation_meeting', material: '转正申请书、支部大会讨论转正的记录' },
  { step: 'confirmation', material: '党委审批转正意见' },
  { step: 'cancellation', material: '取消预备党员资格的决定' },
];
