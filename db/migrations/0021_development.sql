CREATE TABLE "development_records" (
	"id" serial PRIMARY KEY NOT NULL,
	"organization_id" integer NOT NULL,
	"name" text NOT NULL,
	"gender" text NOT NULL,
	"birth_date" date NOT NULL,
	"id_cipher" text NOT NULL,
	"id_hash" text NOT NULL,
	"id_masked" text NOT NULL,
	"phone" text,
	"applicant_account_id" integer,
	"member_id" integer,
	"contact1_member_id" integer,
	"contact2_member_id" integer,
	"stage" text DEFAULT 'applicant' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "development_records_stage_ck" CHECK ("development_records"."stage" in ('applicant', 'activist', 'candidate', 'probationary', 'full', 'cancelled')),
	CONSTRAINT "development_records_gender_ck" CHECK ("development_records"."gender" in ('男', '女')),
	CONSTRAINT "development_records_contacts_ck" CHECK ("development_records"."contact1_member_id" is null or "development_records"."contact1_member_id" <> "development_records"."contact2_member_id")
);
--> statement-breakpoint
CREATE TABLE "development_steps" (
	"id" serial PRIMARY KEY NOT NULL,
	"record_id" integer NOT NULL,
	"step" text NOT NULL,
	"seq" integer DEFAULT 0 NOT NULL,
	"date" date NOT NULL,
	"evidence" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"late" boolean DEFAULT false NOT NULL,
	"recorded_by_account_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "development_steps_step_ck" CHECK ("development_steps"."step" in ('application', 'talk', 'activist', 'activist_review', 'candidate', 'political_review', 'training', 'committee_review', 'pre_review', 'notice', 'branch_meeting', 'approval', 'probation_review', 'extension', 'confirmation_meeting', 'confirmation', 'cancellation'))
);
--> statement-breakpoint
CREATE TABLE "development_targets" (
	"organization_id" integer NOT NULL,
	"year" integer NOT NULL,
	"target" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "development_targets_target_ck" CHECK ("development_targets"."target" between 0 and 10000)
);
--> statement-breakpoint
CREATE TABLE "work_calendar_days" (
	"day" date PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	CONSTRAINT "work_calendar_days_kind_ck" CHECK ("work_calendar_days"."kind" in ('holiday', 'workday'))
);
--> statement-breakpoint
ALTER TABLE "development_records" ADD CONSTRAINT "development_records_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "development_records" ADD CONSTRAINT "development_records_applicant_account_id_accounts_id_fk" FOREIGN KEY ("applicant_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "development_records" ADD CONSTRAINT "development_records_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "development_records" ADD CONSTRAINT "development_records_contact1_member_id_members_id_fk" FOREIGN KEY ("contact1_member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "development_records" ADD CONSTRAINT "development_records_contact2_member_id_members_id_fk" FOREIGN KEY ("contact2_member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "development_steps" ADD CONSTRAINT "development_steps_record_id_development_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."development_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "development_steps" ADD CONSTRAINT "development_steps_recorded_by_account_id_accounts_id_fk" FOREIGN KEY ("recorded_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "development_targets" ADD CONSTRAINT "development_targets_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "development_records_id_hash_uq" ON "development_records" USING btree ("id_hash") WHERE "development_records"."stage" <> 'cancelled';--> statement-breakpoint
CREATE UNIQUE INDEX "development_records_applicant_uq" ON "development_records" USING btree ("applicant_account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "development_records_member_uq" ON "development_records" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "development_records_org_idx" ON "development_records" USING btree ("organization_id","stage");--> statement-breakpoint
CREATE UNIQUE INDEX "development_steps_record_step_uq" ON "development_steps" USING btree ("record_id","step","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "development_targets_org_year_uq" ON "development_targets" USING btree ("organization_id","year");