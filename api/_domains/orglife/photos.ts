/**
 * 现场照片 (shared/orglife/photos.ts): optional photos of a meeting, for its officers. The bytes decide
 * the type (magic numbers), the size is checked before any write, and the per-meeting limit is settled
 * by the database: the upload locks the meeting row, then one insert counts the live photos in its own
 * statement, so concurrent uploads past the limit are refused, never stored. A removed photo keeps its
 * row (the runtime role deletes nothing) with its picture cleared.
 */
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import * as api from '../../../shared/orglife.js';
import { PHOTO_MAX_BYTES, PHOTO_MESSAGES, PHOTOS_PER_MEETING, sniffPhotoType, type PhotoMeta } from '../../../shared/orglife.js';
import { queryRows, type Db } from '../../../db/client.js';
import { cols, iso } from '../../../db/sql.js';
import { orglifeMeetingPhotos, orglifeMeetings } from '../../../db/schema/index.js';
import type { Principal } from '../../_app/auth.js';
import { writeAudit } from '../../_app/audit.js';
import { FileResponse, JsonResponse, route } from '../../_app/context.js';
import { ApiError, conflict, notFound } from '../../_app/errors.js';
import { withIdempotency } from '../../_app/idempotency.js';
import { organizationScope } from '../../_app/scope.js';

const ph = orglifeMeetingPhotos;
const live = alias(orglifeMeetingPhotos, 'live');
const EXTENSIONS = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' } as const;

const META = { id: ph.id, meetingId: ph.meetingId, mimeType: ph.mimeType, byteSize: ph.byteSize, createdAt: ph.createdAt };
const toMeta = (r: { id: number; meetingId: number; mimeType: PhotoMeta['mimeType']; byteSize: number; createdAt: Date | string }): PhotoMeta => ({
  ...r,
  createdAt: iso(r.createdAt),
});

/** A meeting the officer may act on (their branch, their township); 404 for anyone else's, so nothing leaks. */
function meetingInScope(p: Principal) {
  return organizationScope(p, orglifeMeetings.organizationId);
}

/** A live photo with its meeting in the officer's scope. */
function photoInScope(p: Principal, id: number) {
  return and(eq(ph.id, id), sql`${ph.meetingId} in (select ${orglifeMeetings.id} from ${orglifeMeetings} where ${meetingInScope(p)})`);
}

/** The bytes as a photo, or the refusal a secretary can act on: empty (400), too large (413), not a picture (415). */
function checkedPhoto(bytes: Uint8Array) {
  if (bytes.length === 0) throw new ApiError('validation_failed', PHOTO_MESSAGES.empty);
  if (bytes.length > PHOTO_MAX_BYTES) throw new ApiError('payload_too_large', PHOTO_MESSAGES.tooLarge, { maxBytes: PHOTO_MAX_BYTES });
  const mimeType = sniffPhotoType(bytes);
  if (!mimeType) throw new ApiError('unsupported_media_type', PHOTO_MESSAGES.notPicture);
  return mimeType;
}

export const uploadMeetingPhoto = route(api.uploadMeetingPhoto, async (ctx) => {
  const p = ctx.user;
  // A raw body: the dispatcher hands over the bytes as they came.
  const bytes = ctx.body instanceof Uint8Array ? ctx.body : new Uint8Array();
  const mimeType = checkedPhoto(bytes);
  return withIdempotency(ctx, 'orglife.photo.upload', async (tx: Db) => {
    // Uploads to one meeting queue here; the insert below then counts with a snapshot taken after the lock.
    const [meeting] = await tx
      .select({ id: orglifeMeetings.id })
      .from(orglifeMeetings)
      .where(and(eq(orglifeMeetings.id, ctx.params.id), meetingInScope(p)))
      .for('no key update');
    if (!meeting) throw notFound('组织生活记录');
    const content = sql`${sql.param(bytes, ph.content)}`;
    const [created] = await queryRows<{ id: number }>(
      tx,
      sql`insert into ${ph} ${cols(ph.meetingId, ph.content, ph.mimeType, ph.byteSize, ph.uploadedByAccountId, ph.createdAt)}
          select ${meeting.id}::int, ${content}, ${mimeType}, ${bytes.length}::int, ${p.accountId}::int, ${ctx.now.toISOString()}::timestamptz
          where (select count(*) from ${ph} ${live} where ${live.meetingId} = ${meeting.id}::int and ${live.deletedAt} is null) < ${PHOTOS_PER_MEETING}::int
          returning ${ph.id} as "id"`,
    );
    if (!created) throw conflict(PHOTO_MESSAGES.tooMany, { maxPhotos: PHOTOS_PER_MEETING });
    await writeAudit(tx, p, { action: 'orglife.photo.upload', targetType: 'orglife_meeting', targetId: meeting.id, details: { photoId: created.id, mimeType, byteSize: bytes.length } }, ctx.now);
    return new JsonResponse(201, { id: created.id, meetingId: meeting.id, mimeType, byteSize: bytes.length, createdAt: ctx.now.toISOString() });
  });
});

export const listMeetingPhotos = route(api.listMeetingPhotos, async (ctx) => {
  const p = ctx.user;
  const [meeting] = await ctx.db
    .select({ id: orglifeMeetings.id })
    .from(orglifeMeetings)
    .where(and(eq(orglifeMeetings.id, ctx.params.id), meetingInScope(p)));
  if (!meeting) throw notFound('组织生活记录');
  const rows = await ctx.db
    .select(META)
    .from(ph)
    .where(and(eq(ph.meetingId, meeting.id), isNull(ph.deletedAt)))
    .orderBy(asc(ph.createdAt), asc(ph.id));
  return { photos: rows.map(toMeta), maxPhotos: PHOTOS_PER_MEETING, maxBytes: PHOTO_MAX_BYTES };
});

export const getMeetingPhoto = route(api.getMeetingPhoto, async (ctx) => {
  const [row] = await ctx.db
    .select({ content: ph.content, mimeType: ph.mimeType, meetingId: ph.meetingId })
    .from(ph)
    .where(and(photoInScope(ctx.user, ctx.params.id), isNull(ph.deletedAt)));
  if (!row?.content) throw notFound('照片');
  return new FileResponse(`会议照片-${row.meetingId}-${ctx.params.id}.${EXTENSIONS[row.mimeType]}`, row.mimeType, row.content);
});

export const deleteMeetingPhoto = route(api.deleteMeetingPhoto, async (ctx) => {
  const p = ctx.user;
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ ...META, deletedAt: ph.deletedAt })
      .from(ph)
      .where(photoInScope(p, ctx.params.id))
      .for('update');
    if (!row) throw notFound('照片');
    // Removed already (a retry, or two phones): the same answer.
    if (row.deletedAt) return { ok: true as const };
    await tx.update(ph).set({ content: null, deletedAt: ctx.now, deletedByAccountId: p.accountId }).where(eq(ph.id, row.id));
    await writeAudit(tx, p, { action: 'orglife.photo.delete', targetType: 'orglife_meeting', targetId: row.meetingId, details: { photoId: row.id, byteSize: row.byteSize } }, ctx.now);
    return { ok: true as const };
  });
});
