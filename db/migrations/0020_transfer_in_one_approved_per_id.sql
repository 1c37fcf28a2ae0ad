DROP INDEX "transfers_one_open_per_id_hash_uq";--> statement-breakpoint
CREATE UNIQUE INDEX "transfers_one_approved_per_id_hash_uq" ON "transfers" USING btree ("id_hash") WHERE state = 'awaiting_report';--> statement-breakpoint
CREATE INDEX "transfers_id_hash_idx" ON "transfers" USING btree ("id_hash");