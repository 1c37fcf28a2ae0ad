CREATE TABLE "study_days" (
	"member_id" integer NOT NULL,
	"day" date NOT NULL,
	"organization_id" integer NOT NULL,
	"minutes" integer DEFAULT 0 NOT NULL,
	"self_reported_minutes" integer DEFAULT 0 NOT NULL,
	"last_credit" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "study_days_pk" PRIMARY KEY("member_id","day"),
	CONSTRAINT "study_days_self_cap_ck" CHECK ("study_days"."self_reported_minutes" between 0 and 60)
);
--> statement-breakpoint
CREATE TABLE "study_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"member_id" integer NOT NULL,
	"organization_id" integer NOT NULL,
	"day" date NOT NULL,
	"minutes" integer NOT NULL,
	"requested_minutes" integer,
	"way" text NOT NULL,
	"topic" text NOT NULL,
	"source" text NOT NULL,
	"session_id" integer,
	"event_id" integer,
	"account_id" integer NOT NULL,
	"idempotency_key" text,
	"request_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "study_entries_minutes_ck" CHECK ("study_entries"."minutes" between 1 and 480),
	CONSTRAINT "study_entries_source_ck" CHECK ("study_entries"."source" in ('timer', 'self_report', 'proxy', 'event_scan', 'event_ticked')),
	CONSTRAINT "study_entries_way_ck" CHECK ("study_entries"."way" in ('中心组引领学', '教育基地实践学', '支部集中学', '青年读书会交流学', '平台自主学'))
);
--> statement-breakpoint
CREATE TABLE "study_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"organization_id" integer NOT NULL,
	"way" text NOT NULL,
	"topic" text NOT NULL,
	"place" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"day" date NOT NULL,
	"minutes" integer NOT NULL,
	"created_by_account_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "study_events_span_ck" CHECK ("study_events"."ends_at" > "study_events"."starts_at" and "study_events"."minutes" between 1 and 480),
	CONSTRAINT "study_events_way_ck" CHECK ("study_events"."way" in ('中心组引领学', '教育基地实践学', '支部集中学', '青年读书会交流学', '平台自主学'))
);
--> statement-breakpoint
CREATE TABLE "study_sessions" (
	"id" serial PRIMARY KEY NOT NULL,
	"member_id" integer NOT NULL,
	"way" text NOT NULL,
	"topic" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"status" text DEFAULT 'open' NOT NULL,
	"credited_minutes" integer,
	"credited_day" date,
	CONSTRAINT "study_sessions_status_ck" CHECK ("study_sessions"."status" in ('open', 'finished', 'expired')),
	CONSTRAINT "study_sessions_way_ck" CHECK ("study_sessions"."way" in ('中心组引领学', '教育基地实践学', '支部集中学', '青年读书会交流学', '平台自主学'))
);
--> statement-breakpoint
ALTER TABLE "study_days" ADD CONSTRAINT "study_days_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_entries" ADD CONSTRAINT "study_entries_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_entries" ADD CONSTRAINT "study_entries_session_id_study_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."study_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_entries" ADD CONSTRAINT "study_entries_event_id_study_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."study_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_events" ADD CONSTRAINT "study_events_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_events" ADD CONSTRAINT "study_events_created_by_account_id_accounts_id_fk" FOREIGN KEY ("created_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_sessions" ADD CONSTRAINT "study_sessions_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "study_days_org_day_idx" ON "study_days" USING btree ("organization_id","day");--> statement-breakpoint
CREATE UNIQUE INDEX "study_entries_idempotency_uq" ON "study_entries" USING btree ("account_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "study_entries_session_uq" ON "study_entries" USING btree ("session_id") WHERE "study_entries"."session_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "study_entries_event_member_uq" ON "study_entries" USING btree ("event_id","member_id") WHERE "study_entries"."event_id" is not null;--> statement-breakpoint
CREATE INDEX "study_entries_member_created_idx" ON "study_entries" USING btree ("member_id","created_at");--> statement-breakpoint
CREATE INDEX "study_events_org_starts_idx" ON "study_events" USING btree ("organization_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "study_sessions_one_open_uq" ON "study_sessions" USING btree ("member_id") WHERE "study_sessions"."status" = 'open';--> statement-breakpoint
CREATE INDEX "study_sessions_member_idx" ON "study_sessions" USING btree ("member_id","started_at");