-- 010: a change of a signal does only the work it needs.
SET LOCAL search_path = signaldesk, public;
-- On a large table this takes minutes, not the seconds a console statement may.
SET LOCAL statement_timeout = 0;

-- The search fold of 004, with the same results (a database test compares
-- it with translit_fold() over the fixture's texts), in about half the
-- time.  translate() looks each character up in its list from the start,
-- so the lists begin with the characters most texts are made of, mapped to
-- themselves, and the capitals follow in the order of use.
CREATE OR REPLACE FUNCTION sd_latin(p text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT translate(
        replace(replace(replace(replace(replace(replace(replace(replace(replace(
            regexp_replace(
                regexp_replace(
                    translate(p,
                        ' аоеинтлрв.скд0пум-2б,4ъ1язгСКОЦМПВДБАНГЛИРТХЗЕЖЯЙШФЧУABCDEFGHIJKLMNOPQRSTUVWXYZЩЪЫЬЭЮЀЁЂЃЄЅІЇЈЉЊЋЌЍЎЏ',
                        ' аоеинтлрв.скд0пум-2б,4ъ1язгскоцмпвдбанглиртхзежяйшфчуabcdefghijklmnopqrstuvwxyzщъыьэюѐёђѓєѕіїјљњћќѝўџ'),
                    '(?<![A-Za-z\u0400-\u0481\u048A-\u04FF\u0300-\u036F])българия(?![A-Za-z\u0400-\u0481\u048A-\u04FF\u0300-\u036F])',
                    'bulgaria', 'g'),
                'ия(?![A-Za-z\u0400-\u0481\u048A-\u04FF\u0300-\u036F])', 'ia', 'g'),
            'щ', 'sht'), 'ж', 'zh'), 'ц', 'ts'), 'ч', 'ch'), 'ш', 'sh'), 'ю', 'yu'), 'я', 'ya'),
            'ё', 'yo'), 'х', 'h'),
        ' аоеинтлрвскдпумбъзгйфыьэѐѝ',
        ' aoeintlrvskdpumbazgyfyyeei')
$$;

-- The search text is made again when the text it is made of changes, not
-- on every change of the signal: a generated column is computed again by
-- every UPDATE, whatever it sets, and taking a signal, a status change or
-- a move do not touch the text.  The column keeps its values, its trigram
-- index and its statistics.
ALTER TABLE signals ALTER COLUMN search_latin DROP EXPRESSION;

CREATE FUNCTION signals_search_text() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_latin := signaldesk.sd_latin(NEW.reg_no || ' ' || NEW.description || ' ' || NEW.address
                                            || ' ' || NEW.reporters_text);
    RETURN NEW;
END $$;

-- Named to fire after the other BEFORE triggers (they fire in name order),
-- so the text is the one written.  Setting search_latin itself makes it
-- again too: nobody writes a search text of their own.
CREATE TRIGGER signals_text_search_insert BEFORE INSERT ON signals
    FOR EACH ROW EXECUTE FUNCTION signals_search_text();
CREATE TRIGGER signals_text_search_update BEFORE UPDATE ON signals
    FOR EACH ROW
    WHEN (OLD.reg_no IS DISTINCT FROM NEW.reg_no OR OLD.description IS DISTINCT FROM NEW.description
          OR OLD.address IS DISTINCT FROM NEW.address OR OLD.reporters_text IS DISTINCT FROM NEW.reporters_text
          OR OLD.search_latin IS DISTINCT FROM NEW.search_latin)
    EXECUTE FUNCTION signals_search_text();

-- The summary of one signal's history (006) is rebuilt by every change of
-- the signal; most of that work was the same each time.  Same results:
--   * every statement of a small rebuild uses the plan kept for the
--     session (the first three were planned again on every call);
--   * facts that did not change are not written again, and only the spans
--     that changed are replaced (each written row costs six index entries).
CREATE OR REPLACE FUNCTION report_rebuild(p_ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
    v_mode text := current_setting('plan_cache_mode');
    v_mem  text := current_setting('work_mem');
    v_few  boolean := p_ids IS NOT NULL AND cardinality(p_ids) <= 1000;
BEGIN
    IF cardinality(p_ids) = 0 THEN
        RETURN;
    END IF;
    -- A few signals (the usual call: one event) use the plans kept for the
    -- session, not planned again each time (that would cost more than the
    -- work; so this comes first, for every statement below); a big batch
    -- gets a plan of its own, and room to sort in.
    IF v_few THEN
        PERFORM set_config('plan_cache_mode', 'force_generic_plan', true);
    ELSE
        PERFORM set_config('plan_cache_mode', 'force_custom_plan', true);
        IF pg_size_bytes(v_mem) < pg_size_bytes('128MB') THEN
            PERFORM set_config('work_mem', '128MB', true);
        END IF;
    END IF;
    IF p_ids IS NULL THEN
        TRUNCATE signaldesk.report_spans;
        p_ids := ARRAY(SELECT s.id FROM signaldesk.signals s);
    ELSE
        -- one rebuild of a signal at a time: a second transaction waits here
        -- for the first, then (read committed) reads its events too
        INSERT INTO signaldesk.report_facts (signal_id, created_at)
        SELECT s.id, s.created_at FROM signaldesk.signals s WHERE s.id = ANY(p_ids)
        ON CONFLICT DO NOTHING;
        PERFORM 1 FROM signaldesk.report_facts f WHERE f.signal_id = ANY(p_ids)
          ORDER BY f.signal_id FOR UPDATE;
        -- a batch writes its spans anew; a few signals change only the spans
        -- that changed (below)
        IF NOT v_few THEN
            DELETE FROM signaldesk.report_spans sp WHERE sp.signal_id = ANY(p_ids);
        END IF;
    END IF;

    WITH sig AS (
        SELECT s.id, s.created_at, s.status, s.unit_id, s.assignee, s.due_at, s.district_id, s.category_id
          FROM signaldesk.signals s WHERE s.id = ANY(p_ids)
    ),
    ev AS (
        SELECT e.signal_id, greatest(e.at, sig.created_at) AS at, e.id, e.kind, e.old_value, e.new_value, e.public
          FROM signaldesk.signal_events e JOIN sig ON sig.id = e.signal_id
         WHERE e.kind IN ('status', 'unit', 'assignee', 'comment')
    ),
    per_signal AS (
        SELECT ev.signal_id,
               bool_or(ev.kind = 'status') AS has_status,
               (array_agg(ev.old_value ORDER BY ev.at, ev.id) FILTER (WHERE ev.kind = 'status'))[1] AS status0,
               bool_or(ev.kind = 'unit') AS has_unit,
               (array_agg(ev.old_value ORDER BY ev.at, ev.id) FILTER (WHERE ev.kind = 'unit'))[1] AS unit0,
               bool_or(ev.kind = 'assignee') AS has_assignee,
               (array_agg(ev.old_value ORDER BY ev.at, ev.id) FILTER (WHERE ev.kind = 'assignee'))[1] AS assignee0,
               min(ev.at) FILTER (WHERE ev.kind = 'status' OR (ev.kind = 'comment' AND ev.public))
                   AS first_response_at,
               min(ev.at) FILTER (WHERE ev.kind = 'status' AND ev.new_value NOT IN ('new', 'registered'))
                   AS progress_at,
               min(ev.at) FILTER (WHERE ev.kind = 'status' AND ev.new_value = 'resolved') AS resolved_at
          FROM ev GROUP BY ev.signal_id
    ),
    chg AS (
        SELECT sig.id AS signal_id, sig.created_at AS at, 0::bigint AS seq,
               CASE WHEN f.has_status THEN f.status0 ELSE sig.status END AS status,
               CASE WHEN f.has_unit THEN f.unit0 ELSE sig.unit_id::text END AS unit,
               CASE WHEN f.has_assignee THEN f.assignee0 ELSE sig.assignee END AS assignee,
               true AS s_set, true AS u_set, true AS a_set
          FROM sig LEFT JOIN per_signal f ON f.signal_id = sig.id
        UNION ALL
        SELECT ev.signal_id, ev.at, ev.id, ev.new_value, ev.new_value, ev.new_value,
               ev.kind = 'status', ev.kind = 'unit', ev.kind = 'assignee'
          FROM ev WHERE ev.kind <> 'comment'
    ),
    grp AS (
        SELECT c.*,
               count(*) FILTER (WHERE c.s_set) OVER w AS gs,
               count(*) FILTER (WHERE c.u_set) OVER w AS gu,
               count(*) FILTER (WHERE c.a_set) OVER w AS ga
          FROM chg c
        WINDOW w AS (PARTITION BY c.signal_id ORDER BY c.at, c.seq)
    ),
    carried AS (
        SELECT g.signal_id, g.at, g.seq,
               first_value(g.status) OVER (PARTITION BY g.signal_id, g.gs ORDER BY g.at, g.seq) AS status,
               first_value(g.unit) OVER (PARTITION BY g.signal_id, g.gu ORDER BY g.at, g.seq) AS unit,
               first_value(g.assignee) OVER (PARTITION BY g.signal_id, g.ga ORDER BY g.at, g.seq) AS assignee
          FROM grp g
    ),
    moment AS (
        SELECT DISTINCT ON (c.signal_id, c.at) c.signal_id, c.at, c.status, c.unit, c.assignee
          FROM carried c
         ORDER BY c.signal_id, c.at, c.seq DESC
    ),
    state AS (
        SELECT m.signal_id, m.at, coalesce(st.is_open, false) AS is_open,
               coalesce(u1.id, u2.id) AS unit_id, m.assignee
          FROM moment m
          LEFT JOIN signaldesk.statuses st ON st.code = m.status
          LEFT JOIN signaldesk.units u1 ON u1.name = m.unit
          LEFT JOIN signaldesk.units u2 ON u2.id::text = m.unit
    ),
    marked AS (
        SELECT s.*,
               CASE WHEN lag(s.at) OVER w IS NULL
                      OR lag(s.is_open) OVER w IS DISTINCT FROM s.is_open
                      OR lag(s.unit_id) OVER w IS DISTINCT FROM s.unit_id
                      OR lag(s.assignee) OVER w IS DISTINCT FROM s.assignee THEN 1 ELSE 0 END AS starts
          FROM state s
        WINDOW w AS (PARTITION BY s.signal_id ORDER BY s.at)
    ),
    numbered AS (
        SELECT m.*, sum(m.starts) OVER (PARTITION BY m.signal_id ORDER BY m.at) AS island
          FROM marked m
    ),
    islands AS (
        SELECT n.signal_id, n.island, min(n.at) AS start_at,
               bool_or(n.is_open) AS is_open, min(n.unit_id) AS unit_id, min(n.assignee) AS assignee
          FROM numbered n GROUP BY n.signal_id, n.island
    ),
    linked AS (
        SELECT i.signal_id, i.start_at, lead(i.start_at) OVER w AS end_at, i.is_open, i.unit_id, i.assignee,
               lag(i.is_open) OVER w AS prev_open, lag(i.unit_id) OVER w AS prev_unit,
               lag(i.assignee) OVER w AS prev_assignee,
               lead(i.is_open) OVER w AS next_open, lead(i.unit_id) OVER w AS next_unit,
               lead(i.assignee) OVER w AS next_assignee
          FROM islands i
        WINDOW w AS (PARTITION BY i.signal_id ORDER BY i.island)
    ),
    new_spans AS (
        SELECT l.signal_id, l.start_at, l.end_at, sig.created_at, l.unit_id, l.assignee,
               l.prev_open IS NULL OR NOT l.prev_open OR l.prev_unit IS DISTINCT FROM l.unit_id AS entered_unit,
               l.end_at IS NOT NULL AND (NOT l.next_open OR l.next_unit IS DISTINCT FROM l.unit_id) AS exits_unit,
               l.assignee IS NOT NULL
                   AND (l.prev_open IS NULL OR NOT l.prev_open OR l.prev_assignee IS DISTINCT FROM l.assignee)
                   AS entered_assignee,
               l.assignee IS NOT NULL AND l.end_at IS NOT NULL
                   AND (NOT l.next_open OR l.next_assignee IS DISTINCT FROM l.assignee) AS exits_assignee,
               l.end_at IS NOT NULL AND NOT l.next_open AS ends_closed
          FROM linked l JOIN sig ON sig.id = l.signal_id
         WHERE l.is_open
    ),
    -- A few signals: what is there and stays is left alone (an assignee
    -- taken splits one span; a status change within the open ones changes
    -- none), so a change writes only the spans it changed.
    old_gone AS (
        DELETE FROM signaldesk.report_spans sp
         WHERE v_few AND sp.signal_id = ANY(p_ids)
           AND NOT EXISTS (SELECT 1 FROM new_spans n
                            WHERE (n.signal_id, n.start_at, n.end_at, n.created_at, n.unit_id, n.assignee,
                                   n.entered_unit, n.exits_unit, n.entered_assignee, n.exits_assignee, n.ends_closed)
                                  IS NOT DISTINCT FROM
                                  (sp.signal_id, sp.start_at, sp.end_at, sp.created_at, sp.unit_id, sp.assignee,
                                   sp.entered_unit, sp.exits_unit, sp.entered_assignee, sp.exits_assignee,
                                   sp.ends_closed))
    ),
    spans AS (
        INSERT INTO signaldesk.report_spans (signal_id, start_at, end_at, created_at, unit_id, assignee,
                                             entered_unit, exits_unit, entered_assignee, exits_assignee,
                                             ends_closed)
        SELECT n.signal_id, n.start_at, n.end_at, n.created_at, n.unit_id, n.assignee,
               n.entered_unit, n.exits_unit, n.entered_assignee, n.exits_assignee, n.ends_closed
          FROM new_spans n
         WHERE NOT v_few
            OR NOT EXISTS (SELECT 1 FROM signaldesk.report_spans sp
                            WHERE sp.signal_id = n.signal_id
                              AND (n.signal_id, n.start_at, n.end_at, n.created_at, n.unit_id, n.assignee,
                                   n.entered_unit, n.exits_unit, n.entered_assignee, n.exits_assignee,
                                   n.ends_closed)
                                  IS NOT DISTINCT FROM
                                  (sp.signal_id, sp.start_at, sp.end_at, sp.created_at, sp.unit_id, sp.assignee,
                                   sp.entered_unit, sp.exits_unit, sp.entered_assignee, sp.exits_assignee,
                                   sp.ends_closed))
    )
    INSERT INTO signaldesk.report_facts AS f (signal_id, created_at, district_id, category_id, top_category_id,
                                              unit_id, due_at, first_response_at, progress_at, resolved_at,
                                              response_s, resolve_s, due_open, due_unit_id)
    SELECT sig.id, sig.created_at, sig.district_id, sig.category_id, coalesce(c.parent_id, c.id), sig.unit_id,
           sig.due_at, p.first_response_at, p.progress_at, p.resolved_at,
           round(date_part('epoch', p.first_response_at - sig.created_at)),
           round(date_part('epoch', p.resolved_at - sig.created_at)),
           d.is_open, d.unit_id
      FROM sig
      LEFT JOIN signaldesk.categories c ON c.id = sig.category_id
      LEFT JOIN per_signal p ON p.signal_id = sig.id
      LEFT JOIN linked d ON d.signal_id = sig.id AND d.start_at <= sig.due_at
                         AND (d.end_at IS NULL OR d.end_at > sig.due_at)
    ON CONFLICT (signal_id) DO UPDATE
       SET created_at = EXCLUDED.created_at, district_id = EXCLUDED.district_id,
           category_id = EXCLUDED.category_id, top_category_id = EXCLUDED.top_category_id,
           unit_id = EXCLUDED.unit_id, due_at = EXCLUDED.due_at,
           first_response_at = EXCLUDED.first_response_at, progress_at = EXCLUDED.progress_at,
           resolved_at = EXCLUDED.resolved_at, response_s = EXCLUDED.response_s, resolve_s = EXCLUDED.resolve_s,
           due_open = EXCLUDED.due_open, due_unit_id = EXCLUDED.due_unit_id
     -- unchanged facts are not written again
     WHERE (f.created_at, f.district_id, f.category_id, f.top_category_id, f.unit_id, f.due_at,
            f.first_response_at, f.progress_at, f.resolved_at, f.response_s, f.resolve_s, f.due_open,
            f.due_unit_id)
           IS DISTINCT FROM
           (EXCLUDED.created_at, EXCLUDED.district_id, EXCLUDED.category_id, EXCLUDED.top_category_id,
            EXCLUDED.unit_id, EXCLUDED.due_at, EXCLUDED.first_response_at, EXCLUDED.progress_at,
            EXCLUDED.resolved_at, EXCLUDED.response_s, EXCLUDED.resolve_s, EXCLUDED.due_open,
            EXCLUDED.due_unit_id);
    PERFORM set_config('plan_cache_mode', v_mode, true);
    PERFORM set_config('work_mem', v_mem, true);
END $fn$;
