-- Stored enum values become English codes (issue 16.7); the Chinese labels live in shared/ (*_LABELS).
-- One migration: drop the CHECKs that name the labels, rewrite every stored label as its code, add the
-- CHECKs on the codes. Audit rows stay as written (append-only history); stored idempotent replies are
-- left to expire. No index, trigger or function of earlier migrations compares against these labels.
ALTER TABLE "members" DROP CONSTRAINT "members_category_ck";
--> statement-breakpoint
ALTER TABLE "members" DROP CONSTRAINT "members_gender_ck";
--> statement-breakpoint
ALTER TABLE "members" DROP CONSTRAINT "members_confirmed_ck";
--> statement-breakpoint
ALTER TABLE "study_entries" DROP CONSTRAINT "study_entries_way_ck";
--> statement-breakpoint
ALTER TABLE "study_events" DROP CONSTRAINT "study_events_way_ck";
--> statement-breakpoint
ALTER TABLE "study_sessions" DROP CONSTRAINT "study_sessions_way_ck";
--> statement-breakpoint
ALTER TABLE "transfers" DROP CONSTRAINT "transfers_scope_ck";
--> statement-breakpoint
ALTER TABLE "transfers" DROP CONSTRAINT "transfers_reason_ck";
--> statement-breakpoint
ALTER TABLE "commendation_targets" DROP CONSTRAINT "commendation_targets_category_ck";
--> statement-breakpoint
ALTER TABLE "commendations" DROP CONSTRAINT "commendations_category_ck";
--> statement-breakpoint
ALTER TABLE "commendations" DROP CONSTRAINT "commendations_level_ck";
--> statement-breakpoint
ALTER TABLE "commendations" DROP CONSTRAINT "commendations_subject_ck";
--> statement-breakpoint
ALTER TABLE "registrations" DROP CONSTRAINT "registrations_gender_ck";
--> statement-breakpoint
ALTER TABLE "registrations" DROP CONSTRAINT "registrations_category_ck";
--> statement-breakpoint
ALTER TABLE "development_records" DROP CONSTRAINT "development_records_gender_ck";
--> statement-breakpoint
UPDATE "development_records" SET "gender" = CASE "gender" WHEN '男' THEN 'male' WHEN '女' THEN 'female' ELSE "gender" END
  WHERE "gender" IN ('男', '女');
--> statement-breakpoint
UPDATE "members" SET "gender" = CASE "gender" WHEN '男' THEN 'male' WHEN '女' THEN 'female' ELSE "gender" END,
  "category" = CASE "category" WHEN '正式党员' THEN 'full' WHEN '预备党员' THEN 'probationary' ELSE "category" END
  WHERE "gender" IN ('男', '女') OR "category" IN ('正式党员', '预备党员');
--> statement-breakpoint
UPDATE "registrations" SET "gender" = CASE "gender" WHEN '男' THEN 'male' WHEN '女' THEN 'female' ELSE "gender" END,
  "category" = CASE "category" WHEN '正式党员' THEN 'full' WHEN '预备党员' THEN 'probationary' ELSE "category" END
  WHERE "gender" IN ('男', '女') OR "category" IN ('正式党员', '预备党员');
--> statement-breakpoint
UPDATE "transfers" SET "gender" = CASE "gender" WHEN '男' THEN 'male' WHEN '女' THEN 'female' ELSE "gender" END,
  "category" = CASE "category" WHEN '正式党员' THEN 'full' WHEN '预备党员' THEN 'probationary' ELSE "category" END,
  "scope" = CASE "scope" WHEN '县内' THEN 'in_county' WHEN '县外省内' THEN 'in_province' WHEN '省外' THEN 'out_of_province' ELSE "scope" END,
  "reason" = CASE "reason" WHEN '工作调动' THEN 'job' WHEN '升学' THEN 'study' WHEN '居住地变更' THEN 'relocation' WHEN '其他' THEN 'other' ELSE "reason" END
  WHERE "gender" IN ('男', '女') OR "category" IN ('正式党员', '预备党员') OR "scope" IN ('县内', '县外省内', '省外') OR "reason" IN ('工作调动', '升学', '居住地变更', '其他');
--> statement-breakpoint
UPDATE "study_sessions" SET "way" = CASE "way" WHEN '中心组引领学' THEN 'central_group' WHEN '教育基地实践学' THEN 'education_base' WHEN '支部集中学' THEN 'branch' WHEN '青年读书会交流学' THEN 'youth_reading' WHEN '平台自主学' THEN 'platform' ELSE "way" END
  WHERE "way" IN ('中心组引领学', '教育基地实践学', '支部集中学', '青年读书会交流学', '平台自主学');
--> statement-breakpoint
UPDATE "study_events" SET "way" = CASE "way" WHEN '中心组引领学' THEN 'central_group' WHEN '教育基地实践学' THEN 'education_base' WHEN '支部集中学' THEN 'branch' WHEN '青年读书会交流学' THEN 'youth_reading' WHEN '平台自主学' THEN 'platform' ELSE "way" END
  WHERE "way" IN ('中心组引领学', '教育基地实践学', '支部集中学', '青年读书会交流学', '平台自主学');
--> statement-breakpoint
UPDATE "study_entries" SET "way" = CASE "way" WHEN '中心组引领学' THEN 'central_group' WHEN '教育基地实践学' THEN 'education_base' WHEN '支部集中学' THEN 'branch' WHEN '青年读书会交流学' THEN 'youth_reading' WHEN '平台自主学' THEN 'platform' ELSE "way" END
  WHERE "way" IN ('中心组引领学', '教育基地实践学', '支部集中学', '青年读书会交流学', '平台自主学');
--> statement-breakpoint
UPDATE "commendations" SET "category" = CASE "category" WHEN '优秀共产党员' THEN 'outstanding_member' WHEN '优秀党务工作者' THEN 'outstanding_worker' WHEN '先进基层党组织' THEN 'advanced_organization' ELSE "category" END,
  "level" = CASE "level" WHEN '镇级' THEN 'township' WHEN '县级' THEN 'county' WHEN '市级' THEN 'city' WHEN '省级' THEN 'province' WHEN '全国' THEN 'national' ELSE "level" END
  WHERE "category" IN ('优秀共产党员', '优秀党务工作者', '先进基层党组织') OR "level" IN ('镇级', '县级', '市级', '省级', '全国');
--> statement-breakpoint
UPDATE "commendation_targets" SET "category" = CASE "category" WHEN '优秀共产党员' THEN 'outstanding_member' WHEN '优秀党务工作者' THEN 'outstanding_worker' WHEN '先进基层党组织' THEN 'advanced_organization' ELSE "category" END
  WHERE "category" IN ('优秀共产党员', '优秀党务工作者', '先进基层党组织');
--> statement-breakpoint
-- Quotas are keyed by category (the app reads them back for every campaign).
UPDATE "commendation_campaigns" SET "quotas" = (SELECT coalesce(jsonb_object_agg(CASE key WHEN '优秀共产党员' THEN 'outstanding_member' WHEN '优秀党务工作者' THEN 'outstanding_worker' WHEN '先进基层党组织' THEN 'advanced_organization' ELSE key END, value), '{}'::jsonb) FROM jsonb_each("quotas"))
  WHERE jsonb_typeof("quotas") = 'object' AND "quotas" ?| ARRAY['优秀共产党员', '优秀党务工作者', '先进基层党组织'];
--> statement-breakpoint
-- A committee's own letter validity is keyed by scope (organizations.settings.transferValidityDays).
UPDATE "organizations" SET "settings" = jsonb_set("settings", '{transferValidityDays}',
    (SELECT coalesce(jsonb_object_agg(CASE key WHEN '县内' THEN 'in_county' WHEN '县外省内' THEN 'in_province' WHEN '省外' THEN 'out_of_province' ELSE key END, value), '{}'::jsonb) FROM jsonb_each("settings"->'transferValidityDays')))
  WHERE jsonb_typeof("settings"->'transferValidityDays') = 'object' AND ("settings"->'transferValidityDays') ?| ARRAY['县内', '县外省内', '省外'];
--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_category_ck" CHECK ("members"."category" in ('full', 'probationary'));
--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_gender_ck" CHECK ("members"."gender" in ('male', 'female'));
--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_confirmed_ck" CHECK (("members"."category" = 'probationary' and "members"."confirmed_at" is null) or ("members"."category" = 'full' and "members"."confirmed_at" is not null and "members"."confirmed_at" >= "members"."joined_at"));
--> statement-breakpoint
ALTER TABLE "study_entries" ADD CONSTRAINT "study_entries_way_ck" CHECK ("study_entries"."way" in ('central_group', 'education_base', 'branch', 'youth_reading', 'platform'));
--> statement-breakpoint
ALTER TABLE "study_events" ADD CONSTRAINT "study_events_way_ck" CHECK ("study_events"."way" in ('central_group', 'education_base', 'branch', 'youth_reading', 'platform'));
--> statement-breakpoint
ALTER TABLE "study_sessions" ADD CONSTRAINT "study_sessions_way_ck" CHECK ("study_sessions"."way" in ('central_group', 'education_base', 'branch', 'youth_reading', 'platform'));
--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_scope_ck" CHECK ("transfers"."scope" in ('in_county', 'in_province', 'out_of_province'));
--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_reason_ck" CHECK ("transfers"."reason" in ('job', 'study', 'relocation', 'other'));
--> statement-breakpoint
ALTER TABLE "commendation_targets" ADD CONSTRAINT "commendation_targets_category_ck" CHECK ("commendation_targets"."category" in ('outstanding_member', 'outstanding_worker', 'advanced_organization'));
--> statement-breakpoint
ALTER TABLE "commendations" ADD CONSTRAINT "commendations_category_ck" CHECK ("commendations"."category" in ('outstanding_member', 'outstanding_worker', 'advanced_organization'));
--> statement-breakpoint
ALTER TABLE "commendations" ADD CONSTRAINT "commendations_level_ck" CHECK ("commendations"."level" in ('township', 'county', 'city', 'province', 'national'));
--> statement-breakpoint
ALTER TABLE "commendations" ADD CONSTRAINT "commendations_subject_ck" CHECK (("commendations"."category" = 'advanced_organization' and "commendations"."member_id" is null) or ("commendations"."category" <> 'advanced_organization' and "commendations"."member_id" is not null));
--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_gender_ck" CHECK ("registrations"."gender" in ('male', 'female'));
--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_category_ck" CHECK ("registrations"."category" in ('full', 'probationary'));
--> statement-breakpoint
ALTER TABLE "development_records" ADD CONSTRAINT "development_records_gender_ck" CHECK ("development_records"."gender" in ('male', 'female'));
