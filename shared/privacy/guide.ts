/**
 * 隐私保护指引: the text the mini-program shows and the user agrees to, with its
 * version. A change of substance bumps PRIVACY_GUIDE_VERSION, and every account
 * is asked again before anything collects an ID number (the server compares the
 * stored version with this one). What it declares must match the code and
 * WeChat's console declaration (小程序用户隐私保护指引): keep them in step.
 */

/** Bump on any change of what is collected, why, who sees it or how long it is kept. */
export const PRIVACY_GUIDE_VERSION = 2;
export const PRIVACY_GUIDE_EFFECTIVE_ON = '2026-12-01';
export const PRIVACY_GUIDE_TITLE = '隐私保护指引';

export interface GuideSection {
  heading: string;
  paragraphs: readonly string[];
}

export const PRIVACY_GUIDE_SECTIONS: readonly GuideSection[] = [
  {
    heading: '一、谁在处理您的信息',
    paragraphs: [
      '本小程序由县委组织部统一提供，各乡镇党委使用。您的信息由您所在的乡镇党委和村（社区）党支部用于党员管理工作。',
    ],
  },
  {
    heading: '二、收集哪些信息、为什么',
    paragraphs: [
      '微信身份（微信分配的匿名编号）：用于登录，不获取您的微信昵称和头像。',
      '姓名、性别、民族、出生日期：用于核对党员身份、建立党员档案。',
      '身份证号（敏感个人信息）：用于确认是本人、避免重复登记。只有在您单独同意后才会收集。',
      '手机号：用于支部联系您（如组织关系转接）。',
      '入党日期、转正日期、所在支部：用于党员档案、政治生日提醒、组织关系转接。',
      '学习记录、签到记录、投诉建议：您自己记录或提交的内容。学习时长只给您本人看，支部和党委只看到合计人数和时长。',
      '会议现场照片（可不传，不要求上传）：支部书记或乡镇党委工作人员记录组织生活会议时，需要时可从相册选择或拍摄添加，每次会议最多9张，照片中可能有参会党员的形象。',
    ],
  },
  {
    heading: '三、谁能看到',
    paragraphs: [
      '您本人：自己的全部信息。',
      '所在支部的书记：本支部党员的信息，身份证号只显示前4位和最后1位，出生日期只显示年月。',
      '乡镇党委工作人员：本乡镇党员的信息；查看完整身份证号时逐次记录在案。',
      '县委组织部：各乡镇的汇总和名单，只能查看，不能修改。',
      '会议现场照片：只有所在支部书记、乡镇党委工作人员和县委组织部可以查看，不向党员展示。',
      '除法律法规规定外，不向其他单位或个人提供，也不用于商业用途。',
    ],
  },
  {
    heading: '四、保存多久',
    paragraphs: [
      '党员花名册、组织关系转接台账、表彰记录、政治生日签到：作为党组织的正式记录长期保存。',
      '学习记录：保存5年；未通过的登记申请：保存1年；期满由乡镇党委清理。',
      '会议现场照片：随会议记录保存；删除后照片内容立即清除，只留下何人何时删除的记录。',
      '谁在何时查看或修改过您的档案：长期保存，任何人不能修改或删除。',
    ],
  },
  {
    heading: '五、您的权利',
    paragraphs: [
      '查阅、复制：在“我的”页点“下载我的数据”，取得系统保存的关于您本人的全部信息。',
      '更正：信息有误的，请联系所在支部书记或乡镇党委，由工作人员核实后更正。',
      '撤回同意：可以在本页撤回。撤回后不能再在小程序中登记；已经登记进党员花名册的信息，由党组织按党员管理的规定继续保存，不会因撤回而删除。',
    ],
  },
  {
    heading: '六、联系我们、投诉建议',
    paragraphs: [
      '对个人信息处理有疑问或意见，可以在“我的”页的“投诉建议”中提出，乡镇党委工作人员会答复；也可以直接联系所在支部书记或乡镇党委组织委员。',
    ],
  },
];

/** The separate consent PIPL art. 29 requires for sensitive personal information: its own box, never pre-ticked. */
export const SENSITIVE_CONSENT_TEXT =
  '我单独同意：为确认党员身份、避免重复登记，收集我的身份证号（敏感个人信息）。身份证号加密保存，支部书记只看到部分号码。';

/** What the general consent box says. */
export const GUIDE_CONSENT_TEXT = '我已阅读并同意《隐私保护指引》';

/** What withdrawing means, said plainly (shown before the user confirms). */
export const WITHDRAW_EXPLANATION =
  '撤回后，您不能再在小程序中提交党员登记。已经登记进党员花名册的信息，由党组织按党员管理的规定继续保存，不会因撤回而删除；如需更正，请联系支部或乡镇党委。';

/** What a secretary confirms when filing a 登记转入 for someone else (they type the ID number). */
export const ON_BEHALF_CONSENT_TEXT = '我已向本人说明《隐私保护指引》，本人同意由支部代为登记其身份证号等信息';

/**
 * What staff confirm before importing a roster: the organization's own basis (the Party's rules on keeping
 * members' files), not each member's consent. Sent as `?basis=party_rules`; recorded in the import's audit entry.
 */
export const IMPORT_BASIS = 'party_rules';
export const IMPORT_BASIS_TEXT = '我确认：导入的是本党委依照党章和党内规定保存的党员花名册，只用于党员管理工作';
