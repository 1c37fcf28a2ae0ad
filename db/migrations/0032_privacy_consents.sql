CREATE TABLE "privacy_consents" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL,
	"version" integer NOT NULL,
	"scope" text NOT NULL,
	"agreed_at" timestamp with time zone NOT NULL,
	"withdrawn_at" timestamp with time zone,
	CONSTRAINT "privacy_consents_scope_ck" CHECK ("privacy_consents"."scope" in ('guide', 'sensitive')),
	CONSTRAINT "privacy_consents_withdrawn_ck" CHECK ("privacy_consents"."withdrawn_at" is null or "privacy_consents"."withdrawn_at" >= "privacy_consents"."agreed_at")
);
--> statement-breakpoint
ALTER TABLE "privacy_consents" ADD CONSTRAINT "privacy_consents_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "privacy_consents_standing_uq" ON "privacy_consents" USING btree ("account_id","scope","version") WHERE "privacy_consents"."withdrawn_at" is null;--> statement-breakpoint
CREATE INDEX "privacy_consents_account_idx" ON "privacy_consents" USING btree ("account_id","agreed_at");