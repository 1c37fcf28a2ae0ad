-- study_org_days drifted when a member's status or branch changed while their
-- minutes were being credited: each trigger read the other side from its own
-- snapshot, so a check-in still saw the member active (and added its minutes)
-- while the status change subtracted only the minutes it could see. Now the
-- study_days trigger takes a share lock on the member row and reads the
-- member's latest status from it: a status/branch change in flight waits for
-- the check-in to commit (its trigger then sees the check-in's minutes), or the
-- check-in waits for the change (and counts by the new status).
CREATE OR REPLACE FUNCTION study_days_roll_up() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_counts boolean;
  new_counts boolean;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    SELECT m.status = 'active' AND m.organization_id = OLD.organization_id INTO old_counts
    FROM members m WHERE m.id = OLD.member_id FOR SHARE;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    SELECT m.status = 'active' AND m.organization_id = NEW.organization_id INTO new_counts
    FROM members m WHERE m.id = NEW.member_id FOR SHARE;
  END IF;
  old_counts := coalesce(old_counts, false);
  new_counts := coalesce(new_counts, false);
  IF old_counts AND new_counts AND OLD.organization_id = NEW.organization_id AND OLD.day = NEW.day THEN
    -- The usual case (more minutes on the same day): one upsert with the difference.
    IF OLD.minutes <> NEW.minutes THEN
      PERFORM study_org_days_add(NEW.organization_id, NEW.day,
        (NEW.minutes >= 60)::int - (OLD.minutes >= 60)::int, (NEW.minutes > 0)::int - (OLD.minutes > 0)::int, NEW.minutes - OLD.minutes);
    END IF;
    RETURN NULL;
  END IF;
  IF old_counts THEN
    PERFORM study_org_days_add(OLD.organization_id, OLD.day, -(OLD.minutes >= 60)::int, -(OLD.minutes > 0)::int, -OLD.minutes);
  END IF;
  IF new_counts THEN
    PERFORM study_org_days_add(NEW.organization_id, NEW.day, (NEW.minutes >= 60)::int, (NEW.minutes > 0)::int, NEW.minutes);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- The member row is already locked by the UPDATE that fired this; each query
-- here takes a fresh snapshot, so it sees every study_days change committed
-- before the lock was granted. Days in order, so two changes lock the roll-up
-- rows in the same order (no deadlock between them).
CREATE OR REPLACE FUNCTION members_study_roll_up() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'active' THEN
    INSERT INTO study_org_days AS r (organization_id, day, met_members, studied_members, total_minutes)
    SELECT d.organization_id, d.day, -(d.minutes >= 60)::int, -(d.minutes > 0)::int, -d.minutes
    FROM study_days d WHERE d.member_id = OLD.id AND d.organization_id = OLD.organization_id
    ORDER BY d.organization_id, d.day
    ON CONFLICT (organization_id, day) DO UPDATE SET
      met_members = r.met_members + excluded.met_members,
      studied_members = r.studied_members + excluded.studied_members,
      total_minutes = r.total_minutes + excluded.total_minutes;
  END IF;
  IF NEW.status = 'active' THEN
    INSERT INTO study_org_days AS r (organization_id, day, met_members, studied_members, total_minutes)
    SELECT d.organization_id, d.day, (d.minutes >= 60)::int, (d.minutes > 0)::int, d.minutes
    FROM study_days d WHERE d.member_id = NEW.id AND d.organization_id = NEW.organization_id
    ORDER BY d.organization_id, d.day
    ON CONFLICT (organization_id, day) DO UPDATE SET
      met_members = r.met_members + excluded.met_members,
      studied_members = r.studied_members + excluded.studied_members,
      total_minutes = r.total_minutes + excluded.total_minutes;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- Counts that drifted before this migration: recount from study_days (the owner empties the table here; the runtime role never deletes).
TRUNCATE study_org_days;
--> statement-breakpoint
INSERT INTO study_org_days (organization_id, day, met_members, studied_members, total_minutes)
SELECT d.organization_id, d.day, count(*) FILTER (WHERE d.minutes >= 60), count(*) FILTER (WHERE d.minutes > 0), sum(d.minutes)
FROM study_days d JOIN members m ON m.id = d.member_id AND m.status = 'active' AND m.organization_id = d.organization_id
GROUP BY d.organization_id, d.day;
