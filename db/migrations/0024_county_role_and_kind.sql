ALTER TABLE "accounts" DROP CONSTRAINT "accounts_role_ck";--> statement-breakpoint
ALTER TABLE "accounts" DROP CONSTRAINT "accounts_officer_org_ck";--> statement-breakpoint
ALTER TABLE "organizations" DROP CONSTRAINT "organizations_kind_ck";--> statement-breakpoint
CREATE UNIQUE INDEX "organizations_one_county_uq" ON "organizations" USING btree ("kind") WHERE "organizations"."kind" = 'county';--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_role_ck" CHECK ("accounts"."role" in ('applicant', 'member', 'secretary', 'staff', 'county'));--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_officer_org_ck" CHECK ("accounts"."role" not in ('secretary', 'staff', 'county') or "accounts"."organization_id" is not null);--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_county_root_ck" CHECK ("organizations"."kind" <> 'county' or "organizations"."parent_id" is null);--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_kind_ck" CHECK ("organizations"."kind" in ('committee', 'branch', 'county'));