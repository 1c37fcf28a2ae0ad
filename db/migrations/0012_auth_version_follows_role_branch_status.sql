-- A signed session carries the account's role, branch and member, and is good
-- only while accounts.auth_version is what it was at signing (writes check it
-- at once; reads lose old powers when the ≤15-minute access token expires).
-- The version follows every change to those facts, whatever path makes it:
-- staff edits, registration decisions, transfers out, imports.

-- The account's own role, branch or member link.
CREATE OR REPLACE FUNCTION accounts_bump_auth_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.role IS DISTINCT FROM OLD.role
     OR NEW.organization_id IS DISTINCT FROM OLD.organization_id
     OR NEW.member_id IS DISTINCT FROM OLD.member_id THEN
    -- A path that already bumped it (+1) is not bumped twice.
    NEW.auth_version := GREATEST(NEW.auth_version, OLD.auth_version + 1);
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER accounts_auth_version_bu
  BEFORE UPDATE ON accounts
  FOR EACH ROW EXECUTE FUNCTION accounts_bump_auth_version();
--> statement-breakpoint

-- The member record's status (active, suspended, transferred out, deceased) or branch.
CREATE OR REPLACE FUNCTION members_bump_account_auth_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status OR NEW.organization_id IS DISTINCT FROM OLD.organization_id THEN
    UPDATE accounts SET auth_version = auth_version + 1 WHERE member_id = NEW.id;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER members_auth_version_au
  AFTER UPDATE OF status, organization_id ON members
  FOR EACH ROW EXECUTE FUNCTION members_bump_account_auth_version();
