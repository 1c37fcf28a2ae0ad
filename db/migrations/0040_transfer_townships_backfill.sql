-- Each transfer records the townships of its two branches (the nearest committee at or above each, the rule of
-- api/_app/scope.ts townshipOfOrganization); an outside unit has none.
UPDATE "transfers" SET "from_township_id" = (
  SELECT "twp"."id" FROM "organizations" "twp", "organizations" "src"
  WHERE "src"."id" = "transfers"."from_organization_id" AND "twp"."kind" = 'committee' AND "src"."path" LIKE "twp"."path" || '%'
  ORDER BY length("twp"."path") DESC LIMIT 1
) WHERE "from_organization_id" IS NOT NULL;--> statement-breakpoint
UPDATE "transfers" SET "to_township_id" = (
  SELECT "twp"."id" FROM "organizations" "twp", "organizations" "src"
  WHERE "src"."id" = "transfers"."to_organization_id" AND "twp"."kind" = 'committee' AND "src"."path" LIKE "twp"."path" || '%'
  ORDER BY length("twp"."path") DESC LIMIT 1
) WHERE "to_organization_id" IS NOT NULL;--> statement-breakpoint
-- Letter counters become per township and year: the yearly rows are rebuilt from the letters themselves after the
-- key changes (the next migration but one), so every number already issued is kept and each township continues
-- from its own highest number. (The migrating owner empties the table; the server's role has no DELETE on it.)
TRUNCATE "transfer_letter_sequences";
