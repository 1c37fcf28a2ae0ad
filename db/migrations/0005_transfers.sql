CREATE TABLE "transfer_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"transfer_id" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_account_id" integer,
	"actor_role" text NOT NULL,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"comment" text,
	"details" jsonb
);
--> statement-breakpoint
CREATE TABLE "transfer_letter_sequences" (
	"year" integer PRIMARY KEY NOT NULL,
	"last_number" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transfers" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"state" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"member_id" integer,
	"member_name" text NOT NULL,
	"gender" text NOT NULL,
	"ethnicity" text NOT NULL,
	"category" text NOT NULL,
	"id_masked" text NOT NULL,
	"id_cipher" text,
	"id_hash" text,
	"incoming_person" jsonb,
	"from_organization_id" integer,
	"from_organization_name" text NOT NULL,
	"to_organization_id" integer,
	"to_organization_name" text NOT NULL,
	"letter_addressee" text,
	"incoming_letter_number" text,
	"scope" text NOT NULL,
	"reason" text NOT NULL,
	"reason_note" text,
	"dues_paid_through" text NOT NULL,
	"contact_phone" text NOT NULL,
	"applicant_account_id" integer NOT NULL,
	"applied_on" date NOT NULL,
	"letter_year" integer,
	"letter_sequence" integer,
	"letter_number" text,
	"letter_issued_on" date,
	"validity_days" integer,
	"letter_expires_on" date,
	"receipt_due_on" date,
	"receipt_received_on" date,
	"reported_on" date,
	"completed_on" date,
	"approver_account_id" integer,
	"closing_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "transfers_kind_ck" CHECK ("transfers"."kind" in ('out', 'in', 'internal')),
	CONSTRAINT "transfers_state_ck" CHECK ("transfers"."state" in ('pending_branch', 'pending_receiving_branch', 'pending_committee', 'letter_issued', 'awaiting_report', 'completed', 'rejected', 'withdrawn')),
	CONSTRAINT "transfers_scope_ck" CHECK ("transfers"."scope" in ('县内', '县外省内', '省外')),
	CONSTRAINT "transfers_reason_ck" CHECK ("transfers"."reason" in ('工作调动', '升学', '居住地变更', '其他')),
	CONSTRAINT "transfers_validity_ck" CHECK ("transfers"."validity_days" is null or "transfers"."validity_days" between 1 and 90),
	CONSTRAINT "transfers_letter_ck" CHECK (("transfers"."letter_number" is null) = ("transfers"."letter_sequence" is null))
);
--> statement-breakpoint
ALTER TABLE "transfer_events" ADD CONSTRAINT "transfer_events_transfer_id_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."transfers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_events" ADD CONSTRAINT "transfer_events_actor_account_id_accounts_id_fk" FOREIGN KEY ("actor_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_from_organization_id_organizations_id_fk" FOREIGN KEY ("from_organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_to_organization_id_organizations_id_fk" FOREIGN KEY ("to_organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_applicant_account_id_accounts_id_fk" FOREIGN KEY ("applicant_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_approver_account_id_accounts_id_fk" FOREIGN KEY ("approver_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "transfer_events_transfer_idx" ON "transfer_events" USING btree ("transfer_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "transfers_one_open_per_member_uq" ON "transfers" USING btree ("member_id") WHERE state not in ('completed', 'rejected', 'withdrawn');--> statement-breakpoint
CREATE UNIQUE INDEX "transfers_one_open_per_id_hash_uq" ON "transfers" USING btree ("id_hash") WHERE state not in ('completed', 'rejected', 'withdrawn');--> statement-breakpoint
CREATE UNIQUE INDEX "transfers_letter_number_uq" ON "transfers" USING btree ("letter_year","letter_sequence");--> statement-breakpoint
CREATE INDEX "transfers_state_idx" ON "transfers" USING btree ("state");--> statement-breakpoint
CREATE INDEX "transfers_from_org_idx" ON "transfers" USING btree ("from_organization_id");--> statement-breakpoint
CREATE INDEX "transfers_to_org_idx" ON "transfers" USING btree ("to_organization_id");--> statement-breakpoint
CREATE INDEX "transfers_applied_on_idx" ON "transfers" USING btree ("applied_on");