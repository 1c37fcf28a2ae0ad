/**
 * 现场照片 of a meeting on both drivers: optional photos go up as raw bytes (the bytes decide their
 * type), come back identical, are listed by id and size, and are removed with their picture cleared.
 * Refusals answer JSON: too large 413, not a picture 415, empty 400, the 10th 409 — also when twelve
 * uploads race on PostgreSQL. A retry with the same Idempotency-Key stores one photo. Another
 * branch's secretary and another township's staff find nothing (404); county staff only read.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { auditLog, orglifeMeetingPhotos } from '../../db/schema/index.js';
import { PHOTO_MAX_BYTES, PHOTO_MESSAGES, PHOTOS_PER_MEETING, type PhotoMeta } from '../../shared/orglife.js';
import { describeEachDriver } from '../helpers/harness.js';
import { jpegLike, tinyPng, webpLike } from '../helpers/photos.js';
import { buildWorld, committeeMeetingBody, type World } from '../helpers/route-fixtures/index.js';

/** An upload's answer: the photo, or (on a refusal) the error body. */
type Uploaded = PhotoMeta & { error: { code: string; message: string } };

describeEachDriver('组织生活现场照片 (optional meeting photos)', (ctx, driver) => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld(ctx());
  });

  const newMeeting = async (token = w.tokens.ownSecretary): Promise<number> => {
    const res = await ctx().call<{ id: number }>('POST', '/api/orglife/meetings', {
      token,
      headers: { 'idempotency-key': `photos-${randomUUID()}` },
      // The fixtures' meeting of yesterday, held as a 主题党日 (photos are what such a day leaves).
      body: { ...committeeMeetingBody(w.branchA), type: 'party_day', topic: '主题党日：清理村道' },
    });
    expect(res.status).toBe(201);
    return res.body.id;
  };
  const upload = (meetingId: number, bytes: Uint8Array, token = w.tokens.ownSecretary, key = `photo-${randomUUID()}`, type = 'image/png') =>
    ctx().call<Uploaded>('POST', `/api/orglife/meetings/${meetingId}/photos`, { token, rawBody: bytes, headers: { 'idempotency-key': key, 'content-type': type } });
  const list = (meetingId: number, token = w.tokens.ownSecretary) =>
    ctx().call<{ photos: PhotoMeta[]; maxPhotos: number; maxBytes: number }>('GET', `/api/orglife/meetings/${meetingId}/photos`, { token });
  const remove = (photoId: number, token = w.tokens.ownSecretary) => ctx().call('DELETE', `/api/orglife/photos/${photoId}`, { token });

  it('a meeting has no photos until someone adds one: the list is empty and says the limits', async () => {
    const meetingId = await newMeeting();
    const res = await list(meetingId);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ photos: [], maxPhotos: PHOTOS_PER_MEETING, maxBytes: PHOTO_MAX_BYTES });
  });

  it('uploads a PNG, lists it by id and size, and gives the same bytes back with their type', async () => {
    const meetingId = await newMeeting();
    const png = tinyPng(1);
    const up = await upload(meetingId, png);
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ meetingId, mimeType: 'image/png', byteSize: png.length });
    const listed = await list(meetingId);
    expect(listed.body.photos).toEqual([up.body]);
    expect(Object.keys(listed.body.photos[0]!)).not.toContain('content');
    const got = await ctx().call('GET', `/api/orglife/photos/${up.body.id}`, { token: w.tokens.ownSecretary });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(got.bytes).equals(Buffer.from(png))).toBe(true);
    // Township staff and county staff read it too.
    expect((await ctx().call('GET', `/api/orglife/photos/${up.body.id}`, { token: w.tokens.staff })).bytes).toEqual(png);
    expect((await ctx().call('GET', `/api/orglife/photos/${up.body.id}`, { token: w.tokens.county })).status).toBe(200);
  });

  it('the bytes decide the type, not the Content-Type header', async () => {
    const meetingId = await newMeeting();
    const jpeg = await upload(meetingId, jpegLike(), w.tokens.ownSecretary, undefined, 'image/png');
    expect(jpeg.body.mimeType).toBe('image/jpeg');
    const webp = await upload(meetingId, webpLike(), w.tokens.staff, undefined, 'application/octet-stream');
    expect(webp.status).toBe(201);
    expect(webp.body.mimeType).toBe('image/webp');
    const got = await ctx().call('GET', `/api/orglife/photos/${jpeg.body.id}`, { token: w.tokens.ownSecretary });
    expect(got.headers.get('content-type')).toBe('image/jpeg');
  });

  it('refuses what is not a picture (415), an empty body (400) and a photo over the limit (413), in JSON, storing nothing', async () => {
    const meetingId = await newMeeting();
    const text = await upload(meetingId, new TextEncoder().encode('<svg onload="alert(1)"></svg> pretending to be a picture'));
    expect(text.status).toBe(415);
    expect(text.body).toEqual({ error: { code: 'unsupported_media_type', message: PHOTO_MESSAGES.notPicture } });
    const empty = await upload(meetingId, new Uint8Array());
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: 'validation_failed', message: PHOTO_MESSAGES.empty });
    const big = new Uint8Array(PHOTO_MAX_BYTES + 1);
    big.set(tinyPng(2));
    const large = await upload(meetingId, big);
    expect(large.status).toBe(413);
    expect(large.body.error).toMatchObject({ code: 'payload_too_large', message: PHOTO_MESSAGES.tooLarge });
    // Exactly at the limit is fine.
    const atLimit = big.slice(0, PHOTO_MAX_BYTES);
    expect((await upload(meetingId, atLimit)).status).toBe(201);
    expect((await list(meetingId)).body.photos.map((p) => p.byteSize)).toEqual([PHOTO_MAX_BYTES]);
  });

  it(`takes ${PHOTOS_PER_MEETING} photos per meeting and refuses the next one (409) until one is removed`, async () => {
    const meetingId = await newMeeting();
    const ids: number[] = [];
    for (let i = 0; i < PHOTOS_PER_MEETING; i++) {
      const res = await upload(meetingId, tinyPng(10 + i));
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    const tenth = await upload(meetingId, tinyPng(99));
    expect(tenth.status).toBe(409);
    expect(tenth.body.error).toMatchObject({ code: 'conflict', message: PHOTO_MESSAGES.tooMany });
    expect((await remove(ids[0]!)).status).toBe(200);
    expect((await upload(meetingId, tinyPng(99))).status).toBe(201);
    expect((await list(meetingId)).body.photos).toHaveLength(PHOTOS_PER_MEETING);
  });

  it('a retry with the same Idempotency-Key stores one photo and answers the same; the key on other bytes is refused', async () => {
    const meetingId = await newMeeting();
    const key = `weak-signal-${randomUUID()}`;
    const first = await upload(meetingId, tinyPng(3), w.tokens.ownSecretary, key);
    const again = await upload(meetingId, tinyPng(3), w.tokens.ownSecretary, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect((await list(meetingId)).body.photos).toHaveLength(1);
    const other = await upload(meetingId, tinyPng(4), w.tokens.ownSecretary, key);
    expect(other.status).toBe(422);
    const missing = await ctx().call('POST', `/api/orglife/meetings/${meetingId}/photos`, { token: w.tokens.ownSecretary, rawBody: tinyPng(5) });
    expect(missing.status).toBe(400);
    expect((await list(meetingId)).body.photos).toHaveLength(1);
  });

  it("another branch's secretary and another township's staff find nothing; members and county staff may not add or remove", async () => {
    const meetingId = await newMeeting();
    const photo = (await upload(meetingId, tinyPng(6))).body;
    for (const token of [w.tokens.otherSecretary, w.tokens.townshipBSecretary, w.tokens.townshipBStaff]) {
      expect((await upload(meetingId, tinyPng(7), token)).status).toBe(404);
      expect((await list(meetingId, token)).status).toBe(404);
      expect((await ctx().call('GET', `/api/orglife/photos/${photo.id}`, { token })).status).toBe(404);
      expect((await remove(photo.id, token)).status).toBe(404);
    }
    // Members of the branch see the meeting's record, not its photos (shared/orglife/photos.ts).
    for (const token of [w.tokens.peer, w.tokens.otherMember]) {
      expect((await upload(meetingId, tinyPng(8), token)).status).toBe(403);
      expect((await list(meetingId, token)).status).toBe(403);
      expect((await ctx().call('GET', `/api/orglife/photos/${photo.id}`, { token })).status).toBe(403);
    }
    expect((await list(meetingId, w.tokens.county)).status).toBe(200);
    expect((await upload(meetingId, tinyPng(9), w.tokens.county)).status).toBe(403);
    expect((await remove(photo.id, w.tokens.county)).status).toBe(403);
    expect((await list(meetingId)).body.photos).toEqual([photo]);
  });

  it('removing a photo clears its picture, keeps who removed it, is audited, and answers the same when repeated', async () => {
    const meetingId = await newMeeting();
    const photo = (await upload(meetingId, tinyPng(11))).body;
    const res = await remove(photo.id, w.tokens.staff);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    expect((await list(meetingId)).body.photos).toEqual([]);
    expect((await ctx().call('GET', `/api/orglife/photos/${photo.id}`, { token: w.tokens.ownSecretary })).status).toBe(404);
    expect((await remove(photo.id)).status).toBe(200);
    const [row] = await ctx().db.select().from(orglifeMeetingPhotos).where(eq(orglifeMeetingPhotos.id, photo.id));
    expect(row).toMatchObject({ content: null, byteSize: photo.byteSize, mimeType: 'image/png' });
    expect(row!.deletedAt).toBeInstanceOf(Date);
    expect(row!.deletedByAccountId).not.toBeNull();
    const audits = await ctx().db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.targetId, String(meetingId)));
    expect(audits.map((a) => a.action).filter((a) => a.startsWith('orglife.photo'))).toEqual(['orglife.photo.upload', 'orglife.photo.delete']);
  });

  it.runIf(driver === 'neon')(`twelve uploads racing into one meeting: exactly ${PHOTOS_PER_MEETING} are stored, the rest refused`, async () => {
    const meetingId = await newMeeting();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => upload(meetingId, tinyPng(40 + i), i % 2 ? w.tokens.staff : w.tokens.ownSecretary)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(PHOTOS_PER_MEETING);
    expect(statuses.filter((s) => s === 409)).toHaveLength(12 - PHOTOS_PER_MEETING);
    const stored = await ctx().db.select({ id: orglifeMeetingPhotos.id }).from(orglifeMeetingPhotos).where(eq(orglifeMeetingPhotos.meetingId, meetingId));
    expect(stored).toHaveLength(PHOTOS_PER_MEETING);
  });
});
