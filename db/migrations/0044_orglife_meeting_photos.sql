CREATE TABLE "orglife_meeting_photos" (
	"id" serial PRIMARY KEY NOT NULL,
	"meeting_id" integer NOT NULL,
	"content" "bytea",
	"mime_type" text NOT NULL,
	"byte_size" integer NOT NULL,
	"uploaded_by_account_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_by_account_id" integer,
	CONSTRAINT "orglife_meeting_photos_type_ck" CHECK ("orglife_meeting_photos"."mime_type" in ('image/jpeg', 'image/png', 'image/webp')),
	CONSTRAINT "orglife_meeting_photos_size_ck" CHECK ("orglife_meeting_photos"."byte_size" between 1 and 2097152),
	CONSTRAINT "orglife_meeting_photos_content_ck" CHECK (("orglife_meeting_photos"."deleted_at" is null) = ("orglife_meeting_photos"."content" is not null)),
	CONSTRAINT "orglife_meeting_photos_length_ck" CHECK ("orglife_meeting_photos"."content" is null or octet_length("orglife_meeting_photos"."content") = "orglife_meeting_photos"."byte_size")
);
--> statement-breakpoint
ALTER TABLE "orglife_meeting_photos" ADD CONSTRAINT "orglife_meeting_photos_meeting_id_orglife_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."orglife_meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orglife_meeting_photos" ADD CONSTRAINT "orglife_meeting_photos_uploaded_by_account_id_accounts_id_fk" FOREIGN KEY ("uploaded_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orglife_meeting_photos" ADD CONSTRAINT "orglife_meeting_photos_deleted_by_account_id_accounts_id_fk" FOREIGN KEY ("deleted_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "orglife_meeting_photos_meeting_idx" ON "orglife_meeting_photos" USING btree ("meeting_id") WHERE "orglife_meeting_photos"."deleted_at" is null;