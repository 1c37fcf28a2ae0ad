ALTER TABLE "transfers" DROP CONSTRAINT "transfers_kind_ck";--> statement-breakpoint
ALTER TABLE "transfer_letter_sequences" ADD COLUMN "township_id" integer;--> statement-breakpoint
ALTER TABLE "transfers" ADD COLUMN "from_township_id" integer;--> statement-breakpoint
ALTER TABLE "transfers" ADD COLUMN "to_township_id" integer;--> statement-breakpoint
ALTER TABLE "transfer_letter_sequences" ADD CONSTRAINT "transfer_letter_sequences_township_id_organizations_id_fk" FOREIGN KEY ("township_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_from_township_id_organizations_id_fk" FOREIGN KEY ("from_township_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_to_township_id_organizations_id_fk" FOREIGN KEY ("to_township_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_kind_ck" CHECK ("transfers"."kind" in ('out', 'in', 'internal', 'cross_township'));