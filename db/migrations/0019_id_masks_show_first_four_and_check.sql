-- The stored masked ID numbers showed the first 4 and the last 4 characters,
-- the last 4 being the three sequence digits and the check character: with the
-- birth date next to it, one candidate number was left. The masked form is now
-- the first 4 and the check character (shared/idcard.ts maskIdNumber, which
-- also narrows old masks when reading); narrow the stored ones the same way.
UPDATE members SET id_masked = left(id_masked, 4) || repeat('*', length(id_masked) - 5) || right(id_masked, 1)
WHERE length(id_masked) > 5 AND id_masked <> left(id_masked, 4) || repeat('*', length(id_masked) - 5) || right(id_masked, 1);
--> statement-breakpoint
UPDATE registrations SET id_masked = left(id_masked, 4) || repeat('*', length(id_masked) - 5) || right(id_masked, 1)
WHERE length(id_masked) > 5 AND id_masked <> left(id_masked, 4) || repeat('*', length(id_masked) - 5) || right(id_masked, 1);
--> statement-breakpoint
UPDATE transfers SET id_masked = left(id_masked, 4) || repeat('*', length(id_masked) - 5) || right(id_masked, 1)
WHERE length(id_masked) > 5 AND id_masked <> left(id_masked, 4) || repeat('*', length(id_masked) - 5) || right(id_masked, 1);
