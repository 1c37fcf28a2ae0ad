ALTER TABLE "feedback" DROP CONSTRAINT "feedback_topic_ck";--> statement-breakpoint
ALTER TABLE "feedback" ALTER COLUMN "township_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "feedback" ADD COLUMN "handled_by" text DEFAULT 'township' NOT NULL;--> statement-breakpoint
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_handled_by_ck" CHECK ("feedback"."handled_by" in ('township', 'county'));--> statement-breakpoint
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_topic_ck" CHECK ("feedback"."topic" in ('app', 'work', 'township'));