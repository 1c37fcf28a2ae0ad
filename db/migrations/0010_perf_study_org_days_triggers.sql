-- study_org_days is kept exact by triggers, so every write path (check-in, timer,
-- event sign-in and ticks, seeds) maintains it inside its own statement: a
-- check-in stays ONE statement. A row of study_days counts while its member is
-- active and still in the organization it was credited to (what the township
-- views count). 60 is DAILY_TARGET_MINUTES (shared/study.ts).
CREATE FUNCTION study_org_days_add(p_org integer, p_day date, p_met integer, p_studied integer, p_minutes integer) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO study_org_days AS r (organization_id, day, met_members, studied_members, total_minutes)
  VALUES (p_org, p_day, p_met, p_studied, p_minutes)
  ON CONFLICT (organization_id, day) DO UPDATE SET
    met_members = r.met_members + excluded.met_members,
    studied_members = r.studied_members + excluded.studied_members,
    total_minutes = r.total_minutes + excluded.total_minutes
$$;
--> statement-breakpoint
CREATE FUNCTION study_days_roll_up() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_counts boolean := false;
  new_counts boolean := false;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    old_counts := EXISTS (SELECT 1 FROM members m WHERE m.id = OLD.member_id AND m.status = 'active' AND m.organization_id = OLD.organization_id);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    new_counts := EXISTS (SELECT 1 FROM members m WHERE m.id = NEW.member_id AND m.status = 'active' AND m.organization_id = NEW.organization_id);
  END IF;
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
CREATE TRIGGER study_days_roll_up AFTER INSERT OR UPDATE OR DELETE ON study_days
  FOR EACH ROW EXECUTE FUNCTION study_days_roll_up();
--> statement-breakpoint
-- A member leaving, coming back or changing branch moves their days in or out of the counts.
CREATE FUNCTION members_study_roll_up() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'active' THEN
    INSERT INTO study_org_days AS r (organization_id, day, met_members, studied_members, total_minutes)
    SELECT d.organization_id, d.day, -(d.minutes >= 60)::int, -(d.minutes > 0)::int, -d.minutes
    FROM study_days d WHERE d.member_id = OLD.id AND d.organization_id = OLD.organization_id
    ON CONFLICT (organization_id, day) DO UPDATE SET
      met_members = r.met_members + excluded.met_members,
      studied_members = r.studied_members + excluded.studied_members,
      total_minutes = r.total_minutes + excluded.total_minutes;
  END IF;
  IF NEW.status = 'active' THEN
    INSERT INTO study_org_days AS r (organization_id, day, met_members, studied_members, total_minutes)
    SELECT d.organization_id, d.day, (d.minutes >= 60)::int, (d.minutes > 0)::int, d.minutes
    FROM study_days d WHERE d.member_id = NEW.id AND d.organization_id = NEW.organization_id
    ON CONFLICT (organization_id, day) DO UPDATE SET
      met_members = r.met_members + excluded.met_members,
      studied_members = r.studied_members + excluded.studied_members,
      total_minutes = r.total_minutes + excluded.total_minutes;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER members_study_roll_up AFTER UPDATE OF status, organization_id ON members
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.organization_id IS DISTINCT FROM NEW.organization_id)
  EXECUTE FUNCTION members_study_roll_up();
--> statement-breakpoint
-- Rows already there (databases migrated before this roll-up existed).
INSERT INTO study_org_days (organization_id, day, met_members, studied_members, total_minutes)
SELECT d.organization_id, d.day, count(*) FILTER (WHERE d.minutes >= 60), count(*) FILTER (WHERE d.minutes > 0), sum(d.minutes)
FROM study_days d JOIN members m ON m.id = d.member_id AND m.status = 'active' AND m.organization_id = d.organization_id
GROUP BY d.organization_id, d.day;
