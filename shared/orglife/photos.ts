/**
 * 现场照片 of a meeting: optional, never required. 国办函〔2026〕12号 says work photos are not to be
 * demanded without need, so a meeting record is complete without any; a secretary may add a few as
 * the branch's own 台账. The limits, the one test of what counts as a picture, and the contracts.
 *
 * Who sees them: officers only — the branch's secretary and its township's staff (who may also add
 * and remove them), and county staff, who read. Members, even those who attended, see the meeting's
 * record but not its photos: a photo shows people's faces, and the branch keeps it for its 台账, not
 * for circulation (minimisation). Another branch's secretary or another township's staff get 404.
 */
import { z } from 'zod';
import { idParam, okResponse } from '../fields.js';
import { endpoint } from '../http.js';

/** What the mini-program sends after compressing (sizeType compressed): a phone photo is a few hundred KB. */
export const PHOTO_MAX_BYTES = 2 * 1024 * 1024;
/** Per meeting: like WeChat's own nine-picture grid. */
export const PHOTOS_PER_MEETING = 9;

export const photoMimeTypes = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoMimeType = (typeof photoMimeTypes)[number];

const startsWith = (bytes: Uint8Array, at: number, sig: readonly number[]) => sig.every((b, i) => bytes[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/**
 * The type the bytes themselves say (their magic numbers), whatever the Content-Type header claims:
 * JPEG (FF D8 FF), PNG (the 8-byte signature), WebP (RIFF….WEBP). Null for anything else.
 */
export function sniffPhotoType(bytes: Uint8Array): PhotoMimeType | null {
  if (bytes.length >= 4 && startsWith(bytes, 0, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (bytes.length >= 16 && startsWith(bytes, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (bytes.length >= 16 && startsWith(bytes, 0, ascii('RIFF')) && startsWith(bytes, 8, ascii('WEBP'))) return 'image/webp';
  return null;
}

/** The refusals, worded for a village secretary; the mini-program checks the same limits before sending. */
export const PHOTO_MESSAGES = {
  empty: '请选择要上传的照片',
  tooLarge: `照片太大，每张不超过 ${PHOTO_MAX_BYTES / 1024 / 1024} MB，请重新选择（选择时勾选“压缩”）`,
  notPicture: '只能上传照片（JPG、PNG 或 WebP 格式）',
  tooMany: `每次会议最多 ${PHOTOS_PER_MEETING} 张照片，请先删除不需要的再上传`,
  optional: '现场照片可不传：会议记录不需要照片也完整有效',
} as const;

export const photoMeta = z.object({
  id: z.number().int(),
  meetingId: z.number().int(),
  mimeType: z.enum(photoMimeTypes),
  byteSize: z.number().int(),
  createdAt: z.string(),
});
export type PhotoMeta = z.infer<typeof photoMeta>;

export const uploadMeetingPhoto = endpoint({
  method: 'POST',
  path: '/api/orglife/meetings/:id/photos',
  summary: '上传一张会议现场照片（可不传；每张 ≤ 2 MB，每次会议 ≤ 9 张；JPG/PNG/WebP，以文件内容判断）',
  access: 'officer',
  ownership: 'branch',
  // A retry on a weak signal sends the same key: the photo is stored once.
  idempotencyKey: 'required',
  params: idParam,
  rawBody: true,
  rawBodyTypes: photoMimeTypes,
  response: photoMeta,
  idempotent: true,
});

export const listMeetingPhotos = endpoint({
  method: 'GET',
  path: '/api/orglife/meetings/:id/photos',
  summary: '会议现场照片列表（编号和大小，不含图片内容；仅支部书记和党委工作人员）',
  access: 'officer',
  ownership: 'branch',
  params: idParam,
  response: z.object({ photos: z.array(photoMeta), maxPhotos: z.number().int(), maxBytes: z.number().int() }),
  idempotent: true,
});

export const getMeetingPhoto = endpoint({
  method: 'GET',
  path: '/api/orglife/photos/:id',
  summary: '一张会议现场照片的图片内容（按其类型返回）',
  access: 'officer',
  ownership: 'branch',
  params: idParam,
  response: null,
  idempotent: true,
});

export const deleteMeetingPhoto = endpoint({
  method: 'DELETE',
  path: '/api/orglife/photos/:id',
  summary: '删除一张会议现场照片（图片内容即清除，只留删除记录）',
  access: 'officer',
  ownership: 'branch',
  // Deleting twice answers the same: no key needed.
  idempotencyKey: 'none',
  params: idParam,
  response: okResponse,
  idempotent: true,
});
