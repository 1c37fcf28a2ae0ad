DROP INDEX "study_entries_session_uq";--> statement-breakpoint
ALTER TABLE "study_sessions" ADD COLUMN "last_seen_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "study_entries_session_day_uq" ON "study_entries" USING btree ("session_id","day") WHERE "study_entries"."session_id" is not null;