-- 投诉建议 are never deleted and their history never rewritten: the application has no
-- delete path, and the database refuses it too (a complaint must not disappear).
CREATE FUNCTION feedback_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER feedback_events_append_only BEFORE UPDATE OR DELETE ON feedback_events
  FOR EACH ROW EXECUTE FUNCTION feedback_refuse_change();
--> statement-breakpoint
CREATE TRIGGER feedback_no_delete BEFORE DELETE ON feedback
  FOR EACH ROW EXECUTE FUNCTION feedback_refuse_change();
--> statement-breakpoint
CREATE TRIGGER feedback_no_truncate BEFORE TRUNCATE ON feedback
  FOR EACH STATEMENT EXECUTE FUNCTION feedback_refuse_change();
--> statement-breakpoint
CREATE TRIGGER feedback_events_no_truncate BEFORE TRUNCATE ON feedback_events
  FOR EACH STATEMENT EXECUTE FUNCTION feedback_refuse_change();
