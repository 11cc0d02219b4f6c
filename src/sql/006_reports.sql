-- 006: supervisors move signals between units and operators; the management
-- reports read a summary of the history that is kept up to date by the same
-- transactions that write the history.
SET LOCAL search_path = signaldesk, public;

---------------------------------------------------------------- who may move

-- The level of the person at the console: operator, supervisor or admin.
-- Every check of "may this person do it" goes through here, so the role
-- rules of the database (GRANTs, row-level security) can tighten it later in
-- one place.  A login that is not in operators (or is inactive) is an operator.
CREATE FUNCTION current_level() RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT level FROM signaldesk.operators WHERE login = current_user AND active),
                    'operator')
$$;

-- Refuses (SQLSTATE SD403) unless the person has at least p_level.
CREATE FUNCTION require_level(p_level text) RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_levels constant text[] := ARRAY['operator', 'supervisor', 'admin'];
    v_have   text := signaldesk.current_level();
BEGIN
    IF coalesce(array_position(v_levels, v_have), 0) < array_position(v_levels, p_level) THEN
        RAISE EXCEPTION '% is % and may not do this (needs %)', current_user, v_have, p_level
            USING ERRCODE = 'SD403';
    END IF;
END $$;

---------------------------------------------------------------- moves

-- Moves signals to another unit and/or operator: one call is one action of
-- the supervisor, in one transaction.
--   p_unit      the new responsible unit, or NULL to keep it
--   p_assignee  the new operator, or NULL to keep (p_unassign: nobody)
--   p_reason    why; it goes into every event as an internal comment
-- p_versions are the versions the console read.  The rows are locked in id
-- order (two bulk moves never deadlock) and checked first: when any signal
-- was changed meanwhile ('changed'), is closed ('closed') or is gone
-- ('missing'), nothing is moved and the others come back as 'ready', so the
-- console can ask whether to move those.  Otherwise each signal is 'moved'
-- (with its new version) or 'same' (it was there already: no event).
-- Moving to another unit lets the operator keep the signal only when they
-- belong to that unit.
CREATE FUNCTION move_signals(p_ids bigint[], p_versions integer[], p_unit integer, p_assignee text,
                             p_unassign boolean, p_reason text)
RETURNS TABLE (signal_id bigint, outcome text, version integer)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_ids      bigint[] := '{}';
    v_outcomes text[] := '{}';
    v_versions integer[] := '{}';
    v_problem  boolean := false;
    v_unit     text;
    v_new_unit integer;
    v_new_who  text;
    v_reason   text := btrim(p_reason);
    v_ev_id    bigint[] := '{}';
    v_ev_kind  text[] := '{}';
    v_ev_old   text[] := '{}';
    v_ev_new   text[] := '{}';
    r          record;
BEGIN
    PERFORM signaldesk.require_level('supervisor');
    IF coalesce(v_reason, '') = '' THEN
        RAISE EXCEPTION 'a move needs a reason' USING ERRCODE = 'SD061';
    END IF;
    IF cardinality(p_ids) IS DISTINCT FROM cardinality(p_versions) THEN
        RAISE EXCEPTION 'ids and versions differ in number';
    END IF;
    IF p_unit IS NOT NULL THEN
        SELECT name INTO v_unit FROM signaldesk.units WHERE id = p_unit AND active;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'unit % does not exist or is not active', p_unit USING ERRCODE = 'SD062';
        END IF;
    END IF;
    IF p_assignee IS NOT NULL AND NOT coalesce(p_unassign, false) AND NOT EXISTS
           (SELECT 1 FROM signaldesk.operators WHERE login = p_assignee AND active) THEN
        RAISE EXCEPTION 'operator % does not exist or is not active', p_assignee USING ERRCODE = 'SD063';
    END IF;

    FOR r IN SELECT i.id, i.ver, s.id AS found, s.version AS cur, st.is_open
               FROM unnest(p_ids, p_versions) AS i(id, ver)
               LEFT JOIN (SELECT s0.id, s0.version, s0.status FROM signaldesk.signals s0
                           WHERE s0.id = ANY(p_ids) ORDER BY s0.id FOR UPDATE) s ON s.id = i.id
               LEFT JOIN signaldesk.statuses st ON st.code = s.status
              ORDER BY i.id
    LOOP
        v_ids := v_ids || r.id;
        v_versions := v_versions || r.cur;
        IF r.found IS NULL THEN
            v_outcomes := v_outcomes || 'missing'::text;
        ELSIF r.cur <> r.ver THEN
            v_outcomes := v_outcomes || 'changed'::text;
        ELSIF NOT r.is_open THEN
            v_outcomes := v_outcomes || 'closed'::text;
        ELSE
            v_outcomes := v_outcomes || 'ready'::text;
            CONTINUE;
        END IF;
        v_problem := true;
    END LOOP;
    IF v_problem THEN
        RETURN QUERY SELECT * FROM unnest(v_ids, v_outcomes, v_versions);
        RETURN;
    END IF;

    FOR r IN SELECT s.id, s.unit_id, s.assignee, u.name AS unit_name
               FROM signaldesk.signals s LEFT JOIN signaldesk.units u ON u.id = s.unit_id
              WHERE s.id = ANY(p_ids) ORDER BY s.id
    LOOP
        v_new_unit := coalesce(p_unit, r.unit_id);
        IF coalesce(p_unassign, false) THEN
            v_new_who := NULL;
        ELSIF p_assignee IS NOT NULL THEN
            v_new_who := p_assignee;
        ELSIF v_new_unit IS DISTINCT FROM r.unit_id AND NOT EXISTS
                  (SELECT 1 FROM signaldesk.operators o WHERE o.login = r.assignee AND o.unit_id = v_new_unit) THEN
            v_new_who := NULL;
        ELSE
            v_new_who := r.assignee;
        END IF;
        IF v_new_unit IS NOT DISTINCT FROM r.unit_id AND v_new_who IS NOT DISTINCT FROM r.assignee THEN
            signal_id := r.id;
            outcome := 'same';
            SELECT s.version INTO version FROM signaldesk.signals s WHERE s.id = r.id;
            RETURN NEXT;
            CONTINUE;
        END IF;
        UPDATE signaldesk.signals s
           SET unit_id = v_new_unit, assignee = v_new_who, version = s.version + 1, updated_at = now()
         WHERE s.id = r.id
        RETURNING s.version INTO version;
        IF v_new_unit IS DISTINCT FROM r.unit_id THEN
            v_ev_id := v_ev_id || r.id;
            v_ev_kind := v_ev_kind || 'unit'::text;
            v_ev_old := v_ev_old || r.unit_name;
            v_ev_new := v_ev_new || v_unit;
        END IF;
        IF v_new_who IS DISTINCT FROM r.assignee THEN
            v_ev_id := v_ev_id || r.id;
            v_ev_kind := v_ev_kind || 'assignee'::text;
            v_ev_old := v_ev_old || r.assignee;
            v_ev_new := v_ev_new || v_new_who;
        END IF;
        PERFORM pg_notify('signaldesk', r.id::text);
        signal_id := r.id;
        outcome := 'moved';
        RETURN NEXT;
    END LOOP;
    -- the events of all of them in one statement: the summary of the
    -- history is brought up to date once for the whole move
    INSERT INTO signaldesk.signal_events (signal_id, kind, old_value, new_value, comment, public)
    SELECT e.id, e.kind, e.old, e.new, v_reason, false
      FROM unnest(v_ev_id, v_ev_kind, v_ev_old, v_ev_new) AS e(id, kind, old, new);
END $$;

---------------------------------------------------------------- the summary of the history

-- Reports answer for any past period from the events, but reading seven
-- million events for every report would take seconds.  Two tables hold what
-- the events say in a form that answers each report with a few index scans.
-- Both are derived from signal_events alone (plus the signal's current row
-- for what no event says), and are rebuilt for a signal by the transaction
-- that writes an event of it: no summary is ever behind the history.

-- One row per signal: its milestones.
CREATE TABLE report_facts (
    signal_id         bigint PRIMARY KEY,
    created_at        timestamptz NOT NULL,
    district_id       smallint,
    category_id       integer,
    top_category_id   integer,
    unit_id           integer,          -- responsible now
    due_at            timestamptz,
    first_response_at timestamptz,      -- first status change or public comment
    progress_at       timestamptz,      -- first status past new/registered
    resolved_at       timestamptz,      -- first time resolved
    response_s        integer,          -- first_response_at - created_at, in seconds
    resolve_s         integer,          -- resolved_at - created_at, in seconds
    due_open          boolean,          -- still open when due_at came (the present state assumed to last)
    due_unit_id       integer           -- the unit responsible when due_at came
);
-- Covering indexes: each report reads only its index (an index-only scan).
CREATE INDEX report_facts_created_idx ON report_facts (created_at)
    INCLUDE (district_id, top_category_id, unit_id, response_s, progress_at, resolved_at);
CREATE INDEX report_facts_resolved_idx ON report_facts (resolved_at)
    INCLUDE (district_id, top_category_id, resolve_s) WHERE resolved_at IS NOT NULL;
-- The times report reads the durations in order from these (no sort).
CREATE INDEX report_facts_response_idx ON report_facts (response_s)
    INCLUDE (created_at, district_id, top_category_id) WHERE response_s IS NOT NULL;
CREATE INDEX report_facts_resolve_idx ON report_facts (resolve_s)
    INCLUDE (resolved_at, district_id, top_category_id) WHERE resolve_s IS NOT NULL;
CREATE INDEX report_facts_due_idx ON report_facts (due_at)
    INCLUDE (due_open, due_unit_id, top_category_id) WHERE due_at IS NOT NULL;

-- The spans of time a signal was open, cut wherever its unit or operator
-- changed: [start_at, end_at), end_at NULL while it is still open.  "Open on
-- a day" is then one range lookup (GiST), whatever day it is; the flags say
-- whether a span brought the signal into a unit or to an operator, or took it
-- away from them, so what came in and went out in a period are index ranges.
CREATE TABLE report_spans (
    signal_id        bigint NOT NULL,
    start_at         timestamptz NOT NULL,
    end_at           timestamptz,
    created_at       timestamptz NOT NULL,
    unit_id          integer,
    assignee         text,
    entered_unit     boolean NOT NULL,   -- came into this unit (new, moved in, reopened)
    exits_unit       boolean NOT NULL,   -- left this unit (moved out or closed)
    entered_assignee boolean NOT NULL,
    exits_assignee   boolean NOT NULL,
    ends_closed      boolean NOT NULL    -- the span ended because the signal was closed
);
CREATE INDEX report_spans_signal_idx ON report_spans (signal_id);
CREATE INDEX report_spans_during_idx ON report_spans USING gist (tstzrange(start_at, end_at));
CREATE INDEX report_spans_in_idx ON report_spans (start_at)
    INCLUDE (unit_id, assignee, entered_unit, entered_assignee) WHERE entered_unit OR entered_assignee;
CREATE INDEX report_spans_out_idx ON report_spans (end_at)
    INCLUDE (unit_id, assignee, exits_unit, exits_assignee, ends_closed) WHERE exits_unit OR exits_assignee;

-- The assignment screen counts open signals per unit, status, operator and
-- due date from this index alone.
CREATE INDEX signals_open_load_idx ON signals (unit_id, status) INCLUDE (assignee, due_at, created_at)
    WHERE status IN ('new', 'registered', 'assigned', 'in_progress', 'waiting');

-- Inflow and outflow per day read the events themselves: receipts, and the
-- status changes that crossed between open and closed.
CREATE INDEX signal_events_created_at_idx ON signal_events (at) WHERE kind = 'created';
CREATE INDEX signal_events_crossing_at_idx ON signal_events (at) INCLUDE (new_value)
    WHERE kind = 'status'
      AND (old_value IN ('new', 'registered', 'assigned', 'in_progress', 'waiting'))
       <> (new_value IN ('new', 'registered', 'assigned', 'in_progress', 'waiting'));

-- Rebuilds the summary of the given signals (NULL: of all) from their whole
-- history.  The state at the signal's creation is what the first event of
-- each kind (status, unit, assignee) changed from, else the signal's present
-- value; every later event of those kinds changes it from its time on
-- (events of one moment count as one change).  Event values name units by
-- name, as the timeline shows them, or by id.
CREATE FUNCTION report_rebuild(p_ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
    v_mode text := current_setting('plan_cache_mode');
    v_mem  text := current_setting('work_mem');
BEGIN
    IF p_ids IS NULL THEN
        TRUNCATE signaldesk.report_spans;
        p_ids := ARRAY(SELECT s.id FROM signaldesk.signals s);
    ELSE
        IF cardinality(p_ids) = 0 THEN
            RETURN;
        END IF;
        -- one rebuild of a signal at a time: a second transaction waits here
        -- for the first, then (read committed) reads its events too
        INSERT INTO signaldesk.report_facts (signal_id, created_at)
        SELECT s.id, s.created_at FROM signaldesk.signals s WHERE s.id = ANY(p_ids)
        ON CONFLICT DO NOTHING;
        PERFORM 1 FROM signaldesk.report_facts f WHERE f.signal_id = ANY(p_ids)
          ORDER BY f.signal_id FOR UPDATE;
        DELETE FROM signaldesk.report_spans sp WHERE sp.signal_id = ANY(p_ids);
    END IF;
    -- A few signals (the usual call: one event) use the plan kept for the
    -- session, not planned again each time (that would cost more than the
    -- work); a big batch gets a plan of its own, and room to sort in.
    IF cardinality(p_ids) > 1000 THEN
        PERFORM set_config('plan_cache_mode', 'force_custom_plan', true);
        IF pg_size_bytes(v_mem) < pg_size_bytes('128MB') THEN
            PERFORM set_config('work_mem', '128MB', true);
        END IF;
    ELSE
        PERFORM set_config('plan_cache_mode', 'force_generic_plan', true);
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
    spans AS (
        INSERT INTO signaldesk.report_spans (signal_id, start_at, end_at, created_at, unit_id, assignee,
                                             entered_unit, exits_unit, entered_assignee, exits_assignee,
                                             ends_closed)
        SELECT l.signal_id, l.start_at, l.end_at, sig.created_at, l.unit_id, l.assignee,
               l.prev_open IS NULL OR NOT l.prev_open OR l.prev_unit IS DISTINCT FROM l.unit_id,
               l.end_at IS NOT NULL AND (NOT l.next_open OR l.next_unit IS DISTINCT FROM l.unit_id),
               l.assignee IS NOT NULL
                   AND (l.prev_open IS NULL OR NOT l.prev_open OR l.prev_assignee IS DISTINCT FROM l.assignee),
               l.assignee IS NOT NULL AND l.end_at IS NOT NULL
                   AND (NOT l.next_open OR l.next_assignee IS DISTINCT FROM l.assignee),
               l.end_at IS NOT NULL AND NOT l.next_open
          FROM linked l JOIN sig ON sig.id = l.signal_id
         WHERE l.is_open
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
           due_open = EXCLUDED.due_open, due_unit_id = EXCLUDED.due_unit_id;
    PERFORM set_config('plan_cache_mode', v_mode, true);
    PERFORM set_config('work_mem', v_mem, true);
END $fn$;

-- Every statement that writes events rebuilds the summary of their signals
-- within the same transaction (one statement of a million events: one
-- pass).  Internal notes, edits of the text and the like change nothing
-- the summary holds.
CREATE FUNCTION report_events_written() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM signaldesk.report_rebuild(ARRAY(
        SELECT DISTINCT n.signal_id FROM new_events n
         WHERE n.kind IN ('created', 'status', 'unit', 'assignee', 'category', 'district')
            OR (n.kind = 'comment' AND n.public)));
    RETURN NULL;
END $$;

CREATE TRIGGER signal_events_report AFTER INSERT ON signal_events
    REFERENCING NEW TABLE AS new_events
    FOR EACH STATEMENT EXECUTE FUNCTION report_events_written();

-- What the summary copies from the signal without an event saying so.
CREATE FUNCTION report_signal_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM signaldesk.report_rebuild(ARRAY[NEW.id]);
    RETURN NULL;
END $$;

CREATE TRIGGER signals_report AFTER UPDATE OF created_at, category_id, district_id, due_at ON signals
    FOR EACH ROW
    WHEN (OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.category_id IS DISTINCT FROM NEW.category_id
          OR OLD.district_id IS DISTINCT FROM NEW.district_id OR OLD.due_at IS DISTINCT FROM NEW.due_at)
    EXECUTE FUNCTION report_signal_changed();

-- The history there is already: writers wait until it is summed up.
LOCK TABLE signal_events IN SHARE MODE;
SELECT report_rebuild(NULL);
