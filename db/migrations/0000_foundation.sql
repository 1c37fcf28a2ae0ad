CREATE TABLE "accounts" (
	"id" serial PRIMARY KEY NOT NULL,
	"openid" text,
	"role" text DEFAULT 'applicant' NOT NULL,
	"organization_id" integer,
	"member_id" integer,
	"display_name" text DEFAULT '微信用户' NOT NULL,
	"auth_version" integer DEFAULT 1 NOT NULL,
	"is_demo" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_login_at" timestamp with time zone,
	CONSTRAINT "accounts_role_ck" CHECK ("accounts"."role" in ('applicant', 'member', 'secretary', 'staff')),
	CONSTRAINT "accounts_officer_org_ck" CHECK ("accounts"."role" not in ('secretary', 'staff') or "accounts"."organization_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"actor_account_id" integer,
	"actor_role" text,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"account_id" integer NOT NULL,
	"key" text NOT NULL,
	"route" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" integer NOT NULL,
	"response" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "members" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"gender" text NOT NULL,
	"ethnicity" text DEFAULT '汉族' NOT NULL,
	"birth_date" date NOT NULL,
	"id_cipher" text NOT NULL,
	"id_hash" text NOT NULL,
	"id_masked" text NOT NULL,
	"phone" text NOT NULL,
	"education" text,
	"organization_id" integer NOT NULL,
	"category" text NOT NULL,
	"joined_at" date NOT NULL,
	"confirmed_at" date,
	"status" text DEFAULT 'active' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "members_category_ck" CHECK ("members"."category" in ('正式党员', '预备党员')),
	CONSTRAINT "members_status_ck" CHECK ("members"."status" in ('active', 'transferred_out', 'deceased', 'suspended')),
	CONSTRAINT "members_gender_ck" CHECK ("members"."gender" in ('男', '女')),
	CONSTRAINT "members_confirmed_ck" CHECK (("members"."category" = '预备党员' and "members"."confirmed_at" is null) or ("members"."category" = '正式党员' and "members"."confirmed_at" is not null and "members"."confirmed_at" >= "members"."joined_at"))
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" serial PRIMARY KEY NOT NULL,
	"parent_id" integer,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"path" text DEFAULT '' NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organizations_kind_ck" CHECK ("organizations"."kind" in ('committee', 'branch'))
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"bucket" text PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_parent_id_organizations_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_openid_uq" ON "accounts" USING btree ("openid");--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_member_uq" ON "accounts" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "audit_log_target_idx" ON "audit_log" USING btree ("target_type","target_id");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "idempotency_keys_pk" ON "idempotency_keys" USING btree ("account_id","key");--> statement-breakpoint
CREATE UNIQUE INDEX "members_id_hash_uq" ON "members" USING btree ("id_hash");--> statement-breakpoint
CREATE INDEX "members_org_status_idx" ON "members" USING btree ("organization_id","status");--> statement-breakpoint
CREATE INDEX "members_joined_month_idx" ON "members" USING btree (extract(month from "joined_at"));--> statement-breakpoint
CREATE UNIQUE INDEX "organizations_parent_name_uq" ON "organizations" USING btree ("parent_id","name");--> statement-breakpoint
CREATE INDEX "organizations_path_idx" ON "organizations" USING btree ("path");