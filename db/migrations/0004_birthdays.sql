CREATE TABLE "birthday_ceremonies" (
	"id" serial PRIMARY KEY NOT NULL,
	"organization_id" integer NOT NULL,
	"held_on" date NOT NULL,
	"topic" text NOT NULL,
	"place" text,
	"note" text,
	"recorded_by_account_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "birthday_reminders" (
	"id" serial PRIMARY KEY NOT NULL,
	"member_id" integer NOT NULL,
	"year" integer NOT NULL,
	"window_opens" date NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"last_attempt_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "birthday_reminders_state_ck" CHECK ("birthday_reminders"."state" in ('pending', 'sending', 'sent', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "birthday_sign_ins" (
	"id" serial PRIMARY KEY NOT NULL,
	"member_id" integer NOT NULL,
	"year" integer NOT NULL,
	"years" integer NOT NULL,
	"mode" text NOT NULL,
	"ceremony_id" integer,
	"reflection" text,
	"signed_at" timestamp with time zone NOT NULL,
	"recorded_by_account_id" integer,
	CONSTRAINT "birthday_sign_ins_mode_ck" CHECK ("birthday_sign_ins"."mode" in ('individual', 'ceremony')),
	CONSTRAINT "birthday_sign_ins_ceremony_ck" CHECK (("birthday_sign_ins"."mode" = 'ceremony') = ("birthday_sign_ins"."ceremony_id" is not null)),
	CONSTRAINT "birthday_sign_ins_reflection_ck" CHECK ("birthday_sign_ins"."reflection" is null or char_length("birthday_sign_ins"."reflection") <= 1000)
);
--> statement-breakpoint
ALTER TABLE "birthday_ceremonies" ADD CONSTRAINT "birthday_ceremonies_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "birthday_ceremonies" ADD CONSTRAINT "birthday_ceremonies_recorded_by_account_id_accounts_id_fk" FOREIGN KEY ("recorded_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "birthday_reminders" ADD CONSTRAINT "birthday_reminders_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "birthday_sign_ins" ADD CONSTRAINT "birthday_sign_ins_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "birthday_sign_ins" ADD CONSTRAINT "birthday_sign_ins_ceremony_id_birthday_ceremonies_id_fk" FOREIGN KEY ("ceremony_id") REFERENCES "public"."birthday_ceremonies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "birthday_sign_ins" ADD CONSTRAINT "birthday_sign_ins_recorded_by_account_id_accounts_id_fk" FOREIGN KEY ("recorded_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "birthday_ceremonies_org_held_idx" ON "birthday_ceremonies" USING btree ("organization_id","held_on");--> statement-breakpoint
CREATE UNIQUE INDEX "birthday_reminders_member_year_uq" ON "birthday_reminders" USING btree ("member_id","year");--> statement-breakpoint
CREATE INDEX "birthday_reminders_state_idx" ON "birthday_reminders" USING btree ("state");--> statement-breakpoint
CREATE UNIQUE INDEX "birthday_sign_ins_member_year_uq" ON "birthday_sign_ins" USING btree ("member_id","year");