/** 《中国共产党发展党员工作细则》: the 支部大会 that admits a 预备党员 needs its quorum and majority — a pure rule. */
/** 支部大会: more than half of the members with a vote present, and more than half of them (all entitled) in favour. */
export interface MeetingVote {
  entitled: number;
  present: number;
  inFavour: number;
}

export function meetingOutcome(v: MeetingVote): { ok: true } | { ok: false; message: string } {
  if (v.present > v.entitled) return { ok: false, message: `到会人数（${v.present}）不能多于有表决权的正式党员人数（${v.entitled}）` };
  if (v.inFavour > v.present) return { ok: false, message: `赞成人数（${v.inFavour}）不能多于到会人数（${v.present}）` };
  if (v.present * 2 <= v.entitled) return { ok: false, message: `到会有表决权的党员须超过半数（应到 ${v.entitled} 人，实到 ${v.present} 人）` };
  if (v.inFavour * 2 <= v.entitled) return { ok: false, message: `赞成人数须超过应到会有表决权的正式党员的半数（应到 ${v.entitled} 人，赞成 ${v.inFavour} 人），未获通过` };
  return { ok: true };
}
