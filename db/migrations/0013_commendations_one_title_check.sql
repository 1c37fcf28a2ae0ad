-- 一年一个称号: the next migration adds unique indexes on (member, category, year)
-- and (organization, category, year) over live commendations. A deployed database
-- may already hold duplicates entered before the rule; they are NOT withdrawn here
-- (an honor is not taken back without a person deciding which record stands).
-- The migration stops with the duplicates named, and nothing is changed: staff
-- withdraw (撤销) the extra records in the app, then the deploy is run again.
DO $$
DECLARE
  dups text;
BEGIN
  SELECT string_agg(format('%s %s年度 %s: 记录 %s', coalesce('党员#' || member_id, '组织#' || org_id), year, category, ids), '; ')
    INTO dups
  FROM (
    SELECT member_id, CASE WHEN member_id IS NULL THEN organization_id END AS org_id, year, category,
           string_agg(id::text, ', ' ORDER BY id) AS ids
    FROM commendations
    WHERE deleted_at IS NULL
    GROUP BY member_id, CASE WHEN member_id IS NULL THEN organization_id END, year, category
    HAVING count(*) > 1
  ) d;
  IF dups IS NOT NULL THEN
    RAISE EXCEPTION '同一对象同一年度重复的表彰记录，请先在“表彰管理”中撤销多余的记录后再升级：%', dups;
  END IF;
END $$;
