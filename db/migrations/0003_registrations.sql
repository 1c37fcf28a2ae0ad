CREATE TABLE "registrations" (
	"id" serial PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL,
	"organization_id" integer NOT NULL,
	"name" text NOT NULL,
	"gender" text NOT NULL,
	"ethnicity" text NOT NULL,
	"birth_date" date NOT NULL,
	"id_cipher" text NOT NULL,
	"id_hash" text NOT NULL,
	"id_masked" text NOT NULL,
	"phone" text NOT NULL,
	"category" text NOT NULL,
	"joined_at" date NOT NULL,
	"confirmed_at" date,
	"status" text DEFAULT 'pending' NOT NULL,
	"roster_member_id" integer,
	"member_id" integer,
	"reject_reason" text,
	"decided_by_account_id" integer,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "registrations_status_ck" CHECK ("registrations"."status" in ('pending', 'approved', 'rejected')),
	CONSTRAINT "registrations_gender_ck" CHECK ("registrations"."gender" in ('男', '女')),
	CONSTRAINT "registrations_category_ck" CHECK ("registrations"."category" in ('正式党员', '预备党员')),
	CONSTRAINT "registrations_decision_ck" CHECK (("registrations"."status" = 'pending') = ("registrations"."decided_at" is null) and ("registrations"."status" <> 'rejected' or "registrations"."reject_reason" is not null))
);
--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_roster_member_id_members_id_fk" FOREIGN KEY ("roster_member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_decided_by_account_id_accounts_id_fk" FOREIGN KEY ("decided_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "registrations_pending_id_hash_uq" ON "registrations" USING btree ("id_hash") WHERE "registrations"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "registrations_pending_account_uq" ON "registrations" USING btree ("account_id") WHERE "registrations"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "registrations_org_status_idx" ON "registrations" USING btree ("organization_id","status","created_at");--> statement-breakpoint
CREATE INDEX "registrations_account_idx" ON "registrations" USING btree ("account_id","created_at");