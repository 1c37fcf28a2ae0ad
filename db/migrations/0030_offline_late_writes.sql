ALTER TABLE "study_entries" ADD COLUMN "recorded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "study_entries" ADD COLUMN "offline_late" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "birthday_sign_ins" ADD COLUMN "offline_late" boolean DEFAULT false NOT NULL;