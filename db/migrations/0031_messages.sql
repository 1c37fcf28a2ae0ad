CREATE TABLE "messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone,
	CONSTRAINT "messages_kind_ck" CHECK ("messages"."kind" in ('registration_approved', 'registration_rejected', 'transfer_step', 'transfer_todo', 'feedback_replied')),
	CONSTRAINT "messages_target_ck" CHECK ("messages"."target_type" in ('registration', 'transfer', 'feedback', 'birthday', 'orglife')),
	CONSTRAINT "messages_title_ck" CHECK (char_length("messages"."title") between 1 and 60),
	CONSTRAINT "messages_body_ck" CHECK (char_length("messages"."body") <= 300)
);
--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "messages_account_idx" ON "messages" USING btree ("account_id","id");--> statement-breakpoint
CREATE INDEX "messages_account_unread_idx" ON "messages" USING btree ("account_id") WHERE "messages"."read_at" is null;