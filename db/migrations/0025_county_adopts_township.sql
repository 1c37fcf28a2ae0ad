-- Upgrade in place: a deployment that holds one township (a committee at the root) gets a county above it.
-- Nothing is renumbered: every id stays, each path gains the county's id in front ('/1/3/' becomes '/7/1/3/'),
-- the root committees get the county as parent. County staff rename it (or `npm run county:init` names it).
-- A fresh database has no organizations yet: the seed or `county:init` creates the county, so this does nothing.
DO $$
DECLARE
  county_id integer;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM organizations WHERE kind = 'county')
     AND EXISTS (SELECT 1 FROM organizations WHERE parent_id IS NULL) THEN
    -- Rows written with explicit ids (a restore, an import) may have left the id sequence behind: move it past them.
    PERFORM setval(pg_get_serial_sequence('organizations', 'id'), (SELECT max(id) FROM organizations));
    INSERT INTO organizations (name, kind, path, sort_order) VALUES ('本县县委组织部', 'county', '', 0) RETURNING id INTO county_id;
    UPDATE organizations SET path = '/' || county_id || '/' WHERE id = county_id;
    UPDATE organizations SET path = '/' || county_id || path WHERE id <> county_id;
    UPDATE organizations SET parent_id = county_id WHERE parent_id IS NULL AND id <> county_id;
  END IF;
END $$;
