DROP INDEX "study_days_org_day_idx";--> statement-breakpoint
CREATE INDEX "study_days_org_day_idx" ON "study_days" USING btree ("organization_id","day","member_id","minutes");