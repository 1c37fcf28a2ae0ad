-- Each township's yearly counter continues from its highest letter number (numbers already issued are unchanged).
INSERT INTO "transfer_letter_sequences" ("township_id", "year", "last_number")
SELECT "from_township_id", "letter_year", max("letter_sequence") FROM "transfers"
WHERE "letter_sequence" IS NOT NULL AND "from_township_id" IS NOT NULL
GROUP BY "from_township_id", "letter_year";
