-- 民主评议: 优秀 is at most one third of those assessed (shared/orglife/rules.ts
-- excellentAllowed). Checked after each grade write, under a lock on the round's
-- row: concurrent grade edits of one branch's round queue on that lock, and each
-- count (a fresh snapshot in READ COMMITTED) sees the grades committed before it.
CREATE OR REPLACE FUNCTION orglife_grades_excellent_third() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  excellent int;
  assessed int;
BEGIN
  IF NEW.grade IS DISTINCT FROM 'excellent' THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM orglife_appraisals a WHERE a.id = NEW.appraisal_id FOR UPDATE;
  SELECT count(*) FILTER (WHERE g.grade = 'excellent'), count(*) INTO excellent, assessed
  FROM orglife_grades g WHERE g.appraisal_id = NEW.appraisal_id;
  IF excellent * 3 > assessed THEN
    RAISE EXCEPTION 'excellent grades exceed one third of those assessed'
      USING ERRCODE = '23514', CONSTRAINT = 'orglife_grades_excellent_third_ck';
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER orglife_grades_excellent_third
AFTER INSERT OR UPDATE OF grade ON orglife_grades
FOR EACH ROW EXECUTE FUNCTION orglife_grades_excellent_third();
