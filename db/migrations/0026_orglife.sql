CREATE TABLE "orglife_appraisals" (
	"id" serial PRIMARY KEY NOT NULL,
	"organization_id" integer NOT NULL,
	"year" integer NOT NULL,
	"completed_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orglife_attendance" (
	"meeting_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	"status" text DEFAULT 'absent' NOT NULL,
	"leave_reason" text,
	"leave_note" text,
	CONSTRAINT "orglife_attendance_pk" PRIMARY KEY("meeting_id","member_id"),
	CONSTRAINT "orglife_attendance_status_ck" CHECK ("orglife_attendance"."status" in ('present', 'excused', 'absent')),
	CONSTRAINT "orglife_attendance_reason_ck" CHECK (("orglife_attendance"."status" = 'excused') = ("orglife_attendance"."leave_reason" is not null)),
	CONSTRAINT "orglife_attendance_reason_list_ck" CHECK ("orglife_attendance"."leave_reason" is null or "orglife_attendance"."leave_reason" in ('sick', 'migrant_work', 'personal', 'other'))
);
--> statement-breakpoint
CREATE TABLE "orglife_grades" (
	"appraisal_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	"grade" text,
	"follow_up" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orglife_grades_pk" PRIMARY KEY("appraisal_id","member_id"),
	CONSTRAINT "orglife_grades_grade_ck" CHECK ("orglife_grades"."grade" is null or "orglife_grades"."grade" in ('excellent', 'qualified', 'basically_qualified', 'unqualified')),
	CONSTRAINT "orglife_grades_follow_up_ck" CHECK ("orglife_grades"."grade" is distinct from 'unqualified' or coalesce("orglife_grades"."follow_up", '') <> '')
);
--> statement-breakpoint
CREATE TABLE "orglife_meetings" (
	"id" serial PRIMARY KEY NOT NULL,
	"organization_id" integer NOT NULL,
	"type" text NOT NULL,
	"topic" text NOT NULL,
	"place" text NOT NULL,
	"host" text NOT NULL,
	"speaker" text,
	"agenda" text DEFAULT '' NOT NULL,
	"minutes" text DEFAULT '' NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"day" date NOT NULL,
	"study_minutes" integer DEFAULT 0 NOT NULL,
	"created_by_account_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orglife_meetings_type_ck" CHECK ("orglife_meetings"."type" in ('general_assembly', 'branch_committee', 'group_meeting', 'party_lecture', 'party_day', 'life_meeting', 'other')),
	CONSTRAINT "orglife_meetings_span_ck" CHECK ("orglife_meetings"."ends_at" > "orglife_meetings"."starts_at"),
	CONSTRAINT "orglife_meetings_study_ck" CHECK ("orglife_meetings"."study_minutes" between 0 and 480)
);
--> statement-breakpoint
CREATE TABLE "orglife_study_credits" (
	"id" serial PRIMARY KEY NOT NULL,
	"meeting_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	"organization_id" integer NOT NULL,
	"year" integer NOT NULL,
	"day" date NOT NULL,
	"minutes" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orglife_study_credits_minutes_ck" CHECK ("orglife_study_credits"."minutes" between 0 and 480)
);
--> statement-breakpoint
CREATE TABLE "orglife_talks" (
	"id" serial PRIMARY KEY NOT NULL,
	"organization_id" integer NOT NULL,
	"talker_member_id" integer,
	"with_member_id" integer NOT NULL,
	"day" date NOT NULL,
	"topic" text NOT NULL,
	"note" text,
	"created_by_account_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "orglife_appraisals" ADD CONSTRAINT "orglife_appraisals_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orglife_attendance" ADD CONSTRAINT "orglife_attendance_meeting_id_orglife_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."orglife_meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orglife_attendance" ADD CONSTRAINT "orglife_attendance_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orglife_grades" ADD CONSTRAINT "orglife_grades_appraisal_id_orglife_appraisals_id_fk" FOREIGN KEY ("appraisal_id") REFERENCES "public"."orglife_appraisals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orglife_grades" ADD CONSTRAINT "orglife_grades_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orglife_meetings" ADD CONSTRAINT "orglife_meetings_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orglife_meetings" ADD CONSTRAINT "orglife_meetings_created_by_account_id_accounts_id_fk" FOREIGN KEY ("created_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orglife_study_credits" ADD CONSTRAINT "orglife_study_credits_meeting_id_orglife_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."orglife_meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orglife_study_credits" ADD CONSTRAINT "orglife_study_credits_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orglife_talks" ADD CONSTRAINT "orglife_talks_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orglife_talks" ADD CONSTRAINT "orglife_talks_talker_member_id_members_id_fk" FOREIGN KEY ("talker_member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orglife_talks" ADD CONSTRAINT "orglife_talks_with_member_id_members_id_fk" FOREIGN KEY ("with_member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orglife_talks" ADD CONSTRAINT "orglife_talks_created_by_account_id_accounts_id_fk" FOREIGN KEY ("created_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "orglife_appraisals_org_year_uq" ON "orglife_appraisals" USING btree ("organization_id","year");--> statement-breakpoint
CREATE INDEX "orglife_attendance_member_idx" ON "orglife_attendance" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "orglife_grades_member_idx" ON "orglife_grades" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "orglife_meetings_org_day_idx" ON "orglife_meetings" USING btree ("organization_id","day");--> statement-breakpoint
CREATE UNIQUE INDEX "orglife_study_credits_meeting_member_uq" ON "orglife_study_credits" USING btree ("meeting_id","member_id");--> statement-breakpoint
CREATE INDEX "orglife_study_credits_member_year_idx" ON "orglife_study_credits" USING btree ("member_id","year");--> statement-breakpoint
CREATE INDEX "orglife_talks_org_day_idx" ON "orglife_talks" USING btree ("organization_id","day");--> statement-breakpoint
CREATE INDEX "orglife_talks_with_idx" ON "orglife_talks" USING btree ("with_member_id","day");