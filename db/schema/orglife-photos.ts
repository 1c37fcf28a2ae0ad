/**
 * 现场照片 of a meeting (shared/orglife/photos.ts): optional, at most PHOTOS_PER_MEETING live ones
 * per meeting (the upload counts them in its insert, under a lock on the meeting), each at most
 * PHOTO_MAX_BYTES, of a type the bytes themselves show. A photo removed keeps its row — the runtime
 * role deletes no records — but loses its picture: `content` is cleared with `deleted_at`, so what
 * is kept is who added and who removed what size of file when, never the faces in it.
 */
import { sql } from 'drizzle-orm';
import { check, customType, index, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { PHOTO_MAX_BYTES, photoMimeTypes, type PhotoMimeType } from '../../shared/orglife/photos.js';
import { inList } from '../sql.js';
import { accounts } from './core.js';
import { orglifeMeetings } from './orglife.js';

/** PostgreSQL bytea as bytes: node-postgres and the Neon driver give a Buffer, PGlite a Uint8Array. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  fromDriver: (value) => new Uint8Array(value.buffer, value.byteOffset, value.byteLength),
});

export const orglifeMeetingPhotos = pgTable(
  'orglife_meeting_photos',
  {
    id: serial('id').primaryKey(),
    meetingId: integer('meeting_id')
      .notNull()
      .references(() => orglifeMeetings.id, { onDelete: 'cascade' }),
    /** The picture; null once the photo is removed. */
    content: bytea('content'),
    mimeType: text('mime_type').$type<PhotoMimeType>().notNull(),
    byteSize: integer('byte_size').notNull(),
    uploadedByAccountId: integer('uploaded_by_account_id').references(() => accounts.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    deletedByAccountId: integer('deleted_by_account_id').references(() => accounts.id),
  },
  (t) => [
    index('orglife_meeting_photos_meeting_idx').on(t.meetingId).where(sql`${t.deletedAt} is null`),
    check('orglife_meeting_photos_type_ck', inList(t.mimeType, photoMimeTypes)),
    check('orglife_meeting_photos_size_ck', sql`${t.byteSize} between 1 and ${sql.raw(String(PHOTO_MAX_BYTES))}`),
    check('orglife_meeting_photos_content_ck', sql`(${t.deletedAt} is null) = (${t.content} is not null)`),
    check('orglife_meeting_photos_length_ck', sql`${t.content} is null or octet_length(${t.content}) = ${t.byteSize}`),
  ],
);
