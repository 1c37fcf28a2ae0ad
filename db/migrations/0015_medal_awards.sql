CREATE TABLE "medal_awards" (
	"id" serial PRIMARY KEY NOT NULL,
	"member_id" integer NOT NULL,
	"year" integer NOT NULL,
	"awarded_on" date NOT NULL,
	"presented_by" text NOT NULL,
	"note" text,
	"recorded_by_account_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "medal_awards_year_ck" CHECK ("medal_awards"."year" = extract(year from "medal_awards"."awarded_on")::int),
	CONSTRAINT "medal_awards_presented_by_ck" CHECK (char_length("medal_awards"."presented_by") between 1 and 60)
);
--> statement-breakpoint
ALTER TABLE "medal_awards" ADD CONSTRAINT "medal_awards_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "medal_awards" ADD CONSTRAINT "medal_awards_recorded_by_account_id_accounts_id_fk" FOREIGN KEY ("recorded_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "medal_awards_member_uq" ON "medal_awards" USING btree ("member_id");