DROP INDEX "registrations_pending_id_hash_uq";--> statement-breakpoint
ALTER TABLE "registrations" ADD COLUMN "requested_organization_id" integer;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_requested_organization_id_organizations_id_fk" FOREIGN KEY ("requested_organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "registrations_id_hash_idx" ON "registrations" USING btree ("id_hash");