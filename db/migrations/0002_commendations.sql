CREATE TABLE "commendation_campaigns" (
	"id" serial PRIMARY KEY NOT NULL,
	"organization_id" integer NOT NULL,
	"name" text NOT NULL,
	"year" integer NOT NULL,
	"held_on" date,
	"quotas" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by_account_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commendation_targets" (
	"organization_id" integer NOT NULL,
	"year" integer NOT NULL,
	"category" text NOT NULL,
	"target" integer NOT NULL,
	"updated_by_account_id" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "commendation_targets_pk" PRIMARY KEY("organization_id","year","category"),
	CONSTRAINT "commendation_targets_category_ck" CHECK ("commendation_targets"."category" in ('优秀共产党员', '优秀党务工作者', '先进基层党组织')),
	CONSTRAINT "commendation_targets_nonnegative_ck" CHECK ("commendation_targets"."target" >= 0)
);
--> statement-breakpoint
CREATE TABLE "commendations" (
	"id" serial PRIMARY KEY NOT NULL,
	"category" text NOT NULL,
	"member_id" integer,
	"organization_id" integer NOT NULL,
	"level" text NOT NULL,
	"year" integer NOT NULL,
	"title" text NOT NULL,
	"awarded_on" date NOT NULL,
	"issued_by" text NOT NULL,
	"citation" text DEFAULT '' NOT NULL,
	"campaign_id" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by_account_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_by_account_id" integer,
	CONSTRAINT "commendations_category_ck" CHECK ("commendations"."category" in ('优秀共产党员', '优秀党务工作者', '先进基层党组织')),
	CONSTRAINT "commendations_level_ck" CHECK ("commendations"."level" in ('镇级', '县级', '市级', '省级', '全国')),
	CONSTRAINT "commendations_subject_ck" CHECK (("commendations"."category" = '先进基层党组织' and "commendations"."member_id" is null) or ("commendations"."category" <> '先进基层党组织' and "commendations"."member_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "commendation_campaigns" ADD CONSTRAINT "commendation_campaigns_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commendation_campaigns" ADD CONSTRAINT "commendation_campaigns_created_by_account_id_accounts_id_fk" FOREIGN KEY ("created_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commendation_targets" ADD CONSTRAINT "commendation_targets_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commendation_targets" ADD CONSTRAINT "commendation_targets_updated_by_account_id_accounts_id_fk" FOREIGN KEY ("updated_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commendations" ADD CONSTRAINT "commendations_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commendations" ADD CONSTRAINT "commendations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commendations" ADD CONSTRAINT "commendations_campaign_id_commendation_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."commendation_campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commendations" ADD CONSTRAINT "commendations_created_by_account_id_accounts_id_fk" FOREIGN KEY ("created_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commendations" ADD CONSTRAINT "commendations_deleted_by_account_id_accounts_id_fk" FOREIGN KEY ("deleted_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "commendation_campaigns_org_name_uq" ON "commendation_campaigns" USING btree ("organization_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "commendations_campaign_member_uq" ON "commendations" USING btree ("campaign_id","member_id","category") WHERE "commendations"."campaign_id" is not null and "commendations"."member_id" is not null and "commendations"."deleted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "commendations_campaign_org_uq" ON "commendations" USING btree ("campaign_id","organization_id","category") WHERE "commendations"."campaign_id" is not null and "commendations"."member_id" is null and "commendations"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "commendations_year_idx" ON "commendations" USING btree ("year","category") WHERE "commendations"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "commendations_member_idx" ON "commendations" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "commendations_org_idx" ON "commendations" USING btree ("organization_id");