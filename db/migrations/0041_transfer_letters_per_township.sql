DROP INDEX "transfers_letter_number_uq";--> statement-breakpoint
-- The yearly key (PostgreSQL's default name for it) gives way to (township, year).
ALTER TABLE "transfer_letter_sequences" DROP CONSTRAINT "transfer_letter_sequences_pkey";--> statement-breakpoint
ALTER TABLE "transfer_letter_sequences" ALTER COLUMN "township_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "transfer_letter_sequences" ADD CONSTRAINT "transfer_letter_sequences_pk" PRIMARY KEY("township_id","year");--> statement-breakpoint
CREATE UNIQUE INDEX "transfers_letter_number_uq" ON "transfers" USING btree ("from_township_id","letter_year","letter_sequence");