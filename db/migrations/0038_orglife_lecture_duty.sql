CREATE TABLE "orglife_lecture_assignments" (
	"id" serial PRIMARY KEY NOT NULL,
	"member_id" integer NOT NULL,
	"branch_id" integer NOT NULL,
	"created_by_account_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "orglife_meetings" ADD COLUMN "speaker_member_id" integer;--> statement-breakpoint
ALTER TABLE "orglife_lecture_assignments" ADD CONSTRAINT "orglife_lecture_assignments_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orglife_lecture_assignments" ADD CONSTRAINT "orglife_lecture_assignments_branch_id_organizations_id_fk" FOREIGN KEY ("branch_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orglife_lecture_assignments" ADD CONSTRAINT "orglife_lecture_assignments_created_by_account_id_accounts_id_fk" FOREIGN KEY ("created_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "orglife_lecture_assignments_uq" ON "orglife_lecture_assignments" USING btree ("member_id","branch_id");--> statement-breakpoint
CREATE INDEX "orglife_lecture_assignments_branch_idx" ON "orglife_lecture_assignments" USING btree ("branch_id");--> statement-breakpoint
ALTER TABLE "orglife_meetings" ADD CONSTRAINT "orglife_meetings_speaker_member_id_members_id_fk" FOREIGN KEY ("speaker_member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "orglife_meetings_speaker_idx" ON "orglife_meetings" USING btree ("speaker_member_id","day");