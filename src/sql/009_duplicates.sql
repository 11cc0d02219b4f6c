-- 009: duplicates: finding them, merging them, undoing a merge.
SET LOCAL search_path = signaldesk, public;

-- A waiting signal can be reported again like any other open one, so it can
-- become a duplicate too.  src/workflow.c has the same row.
INSERT INTO status_transitions (from_status, to_status, needs_public_comment)
VALUES ('waiting', 'duplicate', false);

-- When a signal counts as a possible duplicate: from its arrival for as long
-- as it is open, and up to the day it was closed (or resolved).  Candidates
-- are the signals whose span meets the days around the reference time.
CREATE FUNCTION alive_end(p_status text, p_created timestamptz, p_closed timestamptz, p_resolved timestamptz)
RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN p_status IN ('new', 'registered', 'assigned', 'in_progress', 'waiting')
                THEN 'infinity'::timestamptz
                ELSE greatest(p_created, coalesce(p_closed, p_resolved, p_created)) END
$$;
CREATE FUNCTION alive(p_status text, p_created timestamptz, p_closed timestamptz, p_resolved timestamptz)
RETURNS tstzrange
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT tstzrange(p_created, signaldesk.alive_end(p_status, p_created, p_closed, p_resolved), '[]')
$$;

-- Where and when at once: a GiST index on the point (in degrees; no
-- PostGIS) and on that span.  A box of the radius around a point, meeting
-- the days around a time, reads only the rows that can be candidates: a
-- handful out of millions.  Metres come from distance_m() below.  Open
-- signals (the clusters) are the spans that reach now.
CREATE INDEX signals_place_time_idx ON signals
    USING gist (location, signaldesk.alive(status, created_at, closed_at, resolved_at))
    WHERE status <> 'duplicate';
-- By category and time, where coordinates are missing (matched by the
-- address text): the related categories' signals whose span reaches the days
-- around the reference time, the district checked in the index.  One over
-- every signal, for a reference without coordinates (an intake form with
-- only an address); a small one over the signals without coordinates, for a
-- reference that has them.
CREATE INDEX signals_category_time_idx ON signals
    (category_id, signaldesk.alive_end(status, created_at, closed_at, resolved_at), district_id)
    WHERE status <> 'duplicate';
CREATE INDEX signals_noplace_time_idx ON signals
    (category_id, signaldesk.alive_end(status, created_at, closed_at, resolved_at), district_id)
    WHERE status <> 'duplicate' AND location IS NULL;
-- The open signals of a district, for its clusters.
CREATE INDEX signals_open_district_idx ON signals (district_id)
    WHERE status IN ('new', 'registered', 'assigned', 'in_progress', 'waiting');

-- Metres between two points (lon, lat) near each other: degrees of longitude
-- shrink with cos(latitude).  Good to a few metres over a few kilometres.
CREATE FUNCTION distance_m(a point, b point)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT 111320.0 * sqrt(((b[0] - a[0]) * cos(radians((a[1] + b[1]) / 2))) ^ 2 + (b[1] - a[1]) ^ 2)
$$;

-- The box around a point that holds every point within p_m metres.
CREATE FUNCTION box_around(p point, p_m double precision)
RETURNS box
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT box(point(p[0] - p_m / (111320.0 * cos(radians(p[1]))), p[1] - p_m / 111320.0),
               point(p[0] + p_m / (111320.0 * cos(radians(p[1]))), p[1] + p_m / 111320.0))
$$;

-- Related categories share a top-level category: a category's family.
CREATE FUNCTION category_family(p_category integer)
RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT coalesce(parent_id, id) FROM signaldesk.categories WHERE id = p_category
$$;

-- One row per merge, with what is needed to undo it.
CREATE TABLE merges (
    id           bigserial PRIMARY KEY,
    main_id      bigint NOT NULL REFERENCES signals,
    at           timestamptz NOT NULL DEFAULT now(),
    actor        text NOT NULL DEFAULT acting_login(),
    comment      text,
    main_before  jsonb NOT NULL,            -- priority and due_at of the main signal before
    main_after   jsonb NOT NULL,            -- what the merge set; undo restores only if still so
    reporter_ids bigint[] NOT NULL DEFAULT '{}',   -- reporters copied onto the main signal
    undone_at    timestamptz,
    undone_by    text,
    undone_xid   xid8                       -- the transaction undoing it (see check_status_transition)
);
CREATE INDEX merges_main_idx ON merges (main_id, id);

-- The signals a merge changed: 'merged' became duplicates of the main signal;
-- 'repointed' were duplicates of a merged signal and now point at the main one.
CREATE TABLE merge_items (
    merge_id  bigint NOT NULL REFERENCES merges,
    signal_id bigint NOT NULL REFERENCES signals,
    role      text NOT NULL CHECK (role IN ('merged', 'repointed')),
    before    jsonb NOT NULL,
    PRIMARY KEY (merge_id, signal_id)
);
CREATE INDEX merge_items_signal_idx ON merge_items (signal_id, merge_id);

-- The workflow check of 003 (transitions only for a kind of signal, the
-- stamps from the statuses table), plus one exception: undoing a merge puts
-- a duplicate back into the status it had before, which no operator move
-- allows.  Only the transaction that marked the merge as being undone may.
CREATE OR REPLACE FUNCTION check_status_transition() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_stamps text;
BEGIN
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        IF NOT EXISTS (SELECT 1 FROM signaldesk.status_transitions
                        WHERE from_status = OLD.status AND to_status = NEW.status
                          AND (only_kind IS NULL OR only_kind = NEW.kind))
           AND NOT (OLD.status = 'duplicate' AND EXISTS (
                SELECT 1 FROM signaldesk.merge_items i JOIN signaldesk.merges m ON m.id = i.merge_id
                 WHERE i.signal_id = NEW.id AND i.role = 'merged' AND i.before->>'status' = NEW.status
                   AND m.undone_xid = pg_current_xact_id())) THEN
            RAISE EXCEPTION 'status % cannot change to %', OLD.status, NEW.status
                USING ERRCODE = 'SD001';
        END IF;
        SELECT stamps INTO v_stamps FROM signaldesk.statuses WHERE code = NEW.status;
        IF v_stamps = 'resolved_at' THEN
            NEW.resolved_at := now();
        ELSIF v_stamps = 'closed_at' THEN
            NEW.closed_at := now();
        ELSIF NOT (SELECT is_open FROM signaldesk.statuses WHERE code = OLD.status) THEN
            -- reopened
            NEW.resolved_at := NULL;
            NEW.closed_at := NULL;
        END IF;
    END IF;
    RETURN NEW;
END $$;

-- A duplicate always names its main signal, and only a duplicate does: a
-- status menu cannot make a duplicate of nothing, and a duplicate brought
-- back by a status change stops pointing at its main signal.
CREATE FUNCTION check_duplicate_link() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'duplicate' AND NEW.status <> 'duplicate'
       AND NEW.duplicate_of IS NOT DISTINCT FROM OLD.duplicate_of THEN
        NEW.duplicate_of := NULL;
    END IF;
    IF NEW.status = 'duplicate' AND NEW.duplicate_of IS NULL THEN
        RAISE EXCEPTION 'a duplicate needs its main signal; merge it instead' USING ERRCODE = 'SD020';
    END IF;
    IF NEW.status <> 'duplicate' AND NEW.duplicate_of IS NOT NULL THEN
        RAISE EXCEPTION 'only a duplicate has a main signal' USING ERRCODE = 'SD020';
    END IF;
    IF NEW.duplicate_of = NEW.id THEN
        RAISE EXCEPTION 'a signal cannot be its own duplicate' USING ERRCODE = 'SD021';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER signals_duplicate_link BEFORE UPDATE OF status, duplicate_of ON signals
    FOR EACH ROW EXECUTE FUNCTION check_duplicate_link();

-- Timestamps in events: one fixed form whatever the session's settings.
CREATE FUNCTION event_time(p timestamptz)
RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(p AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00'
$$;

-- Merges p_ids into p_main in one transaction (one 'merge' event on the
-- main signal names them all).  The others become duplicates
-- of the main signal and keep their numbers; their duplicates follow them;
-- their reporters are copied onto the main signal (one per phone or e-mail)
-- so every one of them hears of its progress; the main signal takes the
-- highest priority and the due date of the earliest report.  Versions are
-- checked as read by the caller.  Different families of categories and
-- signals farther apart than p_far_m metres are refused unless p_force.
-- Every refusal has a code of its own (SD021-SD028) and nothing is changed.
-- Returns the merge's id, for undo.
CREATE FUNCTION merge_signals(p_main bigint, p_main_version integer, p_ids bigint[], p_versions integer[],
                              p_force boolean DEFAULT false, p_far_m double precision DEFAULT NULL,
                              p_comment text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_main      signaldesk.signals%ROWTYPE;
    v_family    integer;
    v_merge     bigint;
    v_prio      smallint;
    v_first     timestamptz;
    v_due       timestamptz;
    v_comment   text := nullif(btrim(p_comment), '');
    v_reporters bigint[];
    v_touched   bigint[];
    r           record;
BEGIN
    IF p_ids IS NULL OR cardinality(p_ids) = 0 OR p_main IS NULL THEN
        RAISE EXCEPTION 'nothing to merge' USING ERRCODE = 'SD021';
    END IF;
    IF cardinality(p_versions) IS DISTINCT FROM cardinality(p_ids) OR p_main = ANY (p_ids)
       OR (SELECT count(DISTINCT x) FROM unnest(p_ids) x) <> cardinality(p_ids) THEN
        RAISE EXCEPTION 'a signal appears twice in the merge' USING ERRCODE = 'SD021';
    END IF;

    -- Locks in id order: two consoles merging the same signals wait for
    -- each other instead of deadlocking; the second then sees new versions.
    PERFORM 1 FROM signaldesk.signals
      WHERE id = p_main OR id = ANY (p_ids) OR duplicate_of = ANY (p_ids)
      ORDER BY id FOR UPDATE;

    SELECT * INTO v_main FROM signaldesk.signals WHERE id = p_main;
    IF NOT FOUND OR (SELECT count(*) FROM signaldesk.signals WHERE id = ANY (p_ids)) <> cardinality(p_ids) THEN
        RAISE EXCEPTION 'a signal of the merge does not exist' USING ERRCODE = 'SD004';
    END IF;
    IF v_main.version IS DISTINCT FROM p_main_version OR EXISTS (
           SELECT 1 FROM unnest(p_ids, p_versions) u(id, version)
             JOIN signaldesk.signals s ON s.id = u.id
            WHERE s.version IS DISTINCT FROM u.version) THEN
        RAISE EXCEPTION 'a signal of the merge was changed meanwhile' USING ERRCODE = 'SD022';
    END IF;
    IF v_main.status = 'duplicate' THEN
        RAISE EXCEPTION 'the main signal is itself a duplicate' USING ERRCODE = 'SD023',
            DETAIL = v_main.reg_no || E'\t' || (SELECT reg_no FROM signaldesk.signals WHERE id = v_main.duplicate_of);
    END IF;
    IF NOT (SELECT is_open FROM signaldesk.statuses WHERE code = v_main.status) THEN
        RAISE EXCEPTION 'the main signal is closed' USING ERRCODE = 'SD024', DETAIL = v_main.reg_no;
    END IF;
    SELECT s.reg_no, m.reg_no AS main_reg INTO r
      FROM signaldesk.signals s LEFT JOIN signaldesk.signals m ON m.id = s.duplicate_of
     WHERE s.id = ANY (p_ids) AND s.status = 'duplicate' ORDER BY s.id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'a signal is already a duplicate' USING ERRCODE = 'SD025',
            DETAIL = r.reg_no || E'\t' || coalesce(r.main_reg, '');
    END IF;
    SELECT s.reg_no, s.status INTO r
      FROM signaldesk.signals s JOIN signaldesk.statuses st ON st.code = s.status
     WHERE s.id = ANY (p_ids) AND NOT st.is_open ORDER BY s.id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'a closed signal cannot become a duplicate' USING ERRCODE = 'SD026',
            DETAIL = r.reg_no || E'\t' || r.status;
    END IF;
    IF NOT coalesce(p_force, false) THEN
        v_family := signaldesk.category_family(v_main.category_id);
        SELECT s.reg_no INTO r FROM signaldesk.signals s
         WHERE s.id = ANY (p_ids) AND signaldesk.category_family(s.category_id) IS DISTINCT FROM v_family
         ORDER BY s.id LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'the signals are in different categories' USING ERRCODE = 'SD027',
                DETAIL = v_main.reg_no || E'\t' || r.reg_no;
        END IF;
        IF p_far_m IS NOT NULL AND v_main.location IS NOT NULL THEN
            SELECT s.reg_no, signaldesk.distance_m(v_main.location, s.location) AS m INTO r
              FROM signaldesk.signals s
             WHERE s.id = ANY (p_ids) AND signaldesk.distance_m(v_main.location, s.location) > p_far_m
             ORDER BY 2 DESC LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION 'the signals are far apart' USING ERRCODE = 'SD028',
                    DETAIL = v_main.reg_no || E'\t' || r.reg_no || E'\t' || round(r.m)::text;
            END IF;
        END IF;
    END IF;

    -- The main signal: the highest priority, due as the earliest report.
    SELECT greatest(v_main.priority, max(s.priority)), least(v_main.created_at, min(s.created_at))
      INTO v_prio, v_first
      FROM signaldesk.signals s WHERE s.id = ANY (p_ids);
    v_due := v_main.due_at;
    IF v_first < v_main.created_at THEN
        v_due := least(v_main.due_at, signaldesk.due_at(v_main.category_id, v_first));
    END IF;

    INSERT INTO signaldesk.merges (main_id, comment, main_before, main_after)
    VALUES (p_main, v_comment,
            jsonb_build_object('priority', v_main.priority, 'due_at', v_main.due_at),
            jsonb_build_object('priority', v_prio, 'due_at', v_due))
    RETURNING id INTO v_merge;
    INSERT INTO signaldesk.merge_items (merge_id, signal_id, role, before)
    SELECT v_merge, s.id, 'merged',
           jsonb_build_object('status', s.status, 'unit_id', s.unit_id, 'assignee', s.assignee,
                              'priority', s.priority, 'due_at', s.due_at, 'resolved_at', s.resolved_at,
                              'closed_at', s.closed_at)
      FROM signaldesk.signals s WHERE s.id = ANY (p_ids)
    UNION ALL
    SELECT v_merge, s.id, 'repointed', jsonb_build_object('duplicate_of', s.duplicate_of)
      FROM signaldesk.signals s WHERE s.duplicate_of = ANY (p_ids);

    -- Reporters: one copy per person (same phone or e-mail) on the main signal.
    WITH src AS (
        SELECT rep.*, CASE WHEN regexp_replace(rep.phone, '[^0-9]', '', 'g') <> ''
                         THEN 'p' || right(regexp_replace(rep.phone, '[^0-9]', '', 'g'), 9)
                         WHEN rep.email <> '' THEN 'e' || lower(rep.email)
                         ELSE 'r' || rep.id END AS who
          FROM signaldesk.reporters rep WHERE rep.signal_id = ANY (p_ids)
    ), have AS (
        SELECT CASE WHEN regexp_replace(rep.phone, '[^0-9]', '', 'g') <> ''
                    THEN 'p' || right(regexp_replace(rep.phone, '[^0-9]', '', 'g'), 9)
                    WHEN rep.email <> '' THEN 'e' || lower(rep.email) END AS who
          FROM signaldesk.reporters rep WHERE rep.signal_id = p_main
    ), ins AS (
        INSERT INTO signaldesk.reporters (signal_id, name, phone, email, wants_updates)
        SELECT p_main, name, phone, email, wants_updates
          FROM (SELECT DISTINCT ON (who) * FROM src ORDER BY who, wants_updates DESC, id) d
         WHERE NOT EXISTS (SELECT 1 FROM have h WHERE h.who = d.who)
         ORDER BY id
        RETURNING id
    )
    SELECT coalesce(array_agg(id ORDER BY id), '{}') INTO v_reporters FROM ins;
    UPDATE signaldesk.merges SET reporter_ids = v_reporters WHERE id = v_merge;

    -- Both sides' timelines, in one statement: the others' new status and
    -- main signal, their duplicates' new main signal, the main signal's
    -- merges and its new priority and due date.
    INSERT INTO signaldesk.signal_events (signal_id, kind, old_value, new_value, comment, public)
    SELECT e.signal_id, e.kind, e.old_value, e.new_value, e.comment, e.public FROM (
        SELECT 1 AS ord, s.created_at AS at, s.id AS sid, s.id AS signal_id, 'status' AS kind,
               s.status AS old_value, 'duplicate' AS new_value, v_comment AS comment, false AS public
          FROM signaldesk.signals s WHERE s.id = ANY (p_ids)
        UNION ALL
        SELECT 2, s.created_at, s.id, s.id, 'merged_into', NULL, v_main.reg_no, NULL, true
          FROM signaldesk.signals s WHERE s.id = ANY (p_ids)
        UNION ALL
        SELECT 3, s.created_at, s.id, s.id, 'merged_into', m.reg_no, v_main.reg_no, NULL, false
          FROM signaldesk.signals s JOIN signaldesk.signals m ON m.id = s.duplicate_of
         WHERE s.duplicate_of = ANY (p_ids)
        UNION ALL
        SELECT 4, NULL, 0, p_main, 'merge', NULL, string_agg(s.reg_no, ', ' ORDER BY s.created_at, s.id), v_comment,
               false
          FROM signaldesk.signals s WHERE s.id = ANY (p_ids)
        UNION ALL
        SELECT 5, NULL, 0, p_main, 'priority', v_main.priority::text, v_prio::text, NULL, false
         WHERE v_prio <> v_main.priority
        UNION ALL
        SELECT 6, NULL, 0, p_main, 'due', signaldesk.event_time(v_main.due_at), signaldesk.event_time(v_due),
               NULL, false
         WHERE v_due IS DISTINCT FROM v_main.due_at
    ) e ORDER BY e.ord, e.at, e.sid;

    -- All the rows at once: the others become duplicates, their duplicates
    -- follow them, the main signal takes priority and due date.
    WITH u AS (
        UPDATE signaldesk.signals
           SET status = CASE WHEN id = ANY (p_ids) THEN 'duplicate' ELSE status END,
               duplicate_of = CASE WHEN id = p_main THEN duplicate_of ELSE p_main END,
               priority = CASE WHEN id = p_main THEN v_prio ELSE priority END,
               due_at = CASE WHEN id = p_main THEN v_due ELSE due_at END,
               version = version + 1, updated_at = now()
         WHERE id = p_main OR id = ANY (p_ids) OR duplicate_of = ANY (p_ids)
        RETURNING id
    )
    SELECT array_agg(id) INTO v_touched FROM u;

    PERFORM pg_notify('signaldesk', x::text) FROM unnest(v_touched) x;
    RETURN v_merge;
END $$;

-- Undoes a merge: every signal it made a duplicate (and is one still) gets
-- back its status, unit, assignee, priority and due date; its own duplicates
-- point at it again; the reporters copied onto the main signal go; the main
-- signal gets back its priority and due date unless someone changed them
-- since.  Events on both sides say so.  Refused (SD030-SD032) when already
-- undone, or when the main signal was merged into another one since (undo
-- that first).  Returns how many signals came back.
CREATE FUNCTION unmerge_signals(p_merge bigint, p_comment text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    v_m       signaldesk.merges%ROWTYPE;
    v_main    signaldesk.signals%ROWTYPE;
    v_comment text := nullif(btrim(p_comment), '');
    v_back    bigint[];
    v_repoint bigint[];
    v_prio    smallint;
    v_due     timestamptz;
BEGIN
    SELECT * INTO v_m FROM signaldesk.merges WHERE id = p_merge FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such merge' USING ERRCODE = 'SD030';
    END IF;
    IF v_m.undone_at IS NOT NULL THEN
        RAISE EXCEPTION 'the merge was undone already' USING ERRCODE = 'SD030';
    END IF;
    PERFORM 1 FROM signaldesk.signals
      WHERE id = ANY (ARRAY(SELECT signal_id FROM signaldesk.merge_items WHERE merge_id = p_merge) || v_m.main_id)
      ORDER BY id FOR UPDATE;
    SELECT * INTO v_main FROM signaldesk.signals WHERE id = v_m.main_id;
    IF v_main.status = 'duplicate' THEN
        RAISE EXCEPTION 'the main signal was merged into another one since' USING ERRCODE = 'SD031',
            DETAIL = v_main.reg_no || E'\t' || (SELECT reg_no FROM signaldesk.signals WHERE id = v_main.duplicate_of);
    END IF;

    -- Only what is still as the merge left it comes back.
    SELECT array_agg(i.signal_id) INTO v_back
      FROM signaldesk.merge_items i JOIN signaldesk.signals s ON s.id = i.signal_id
     WHERE i.merge_id = p_merge AND i.role = 'merged' AND s.status = 'duplicate' AND s.duplicate_of = v_m.main_id;
    IF v_back IS NULL THEN
        RAISE EXCEPTION 'none of the merged signals is a duplicate any more' USING ERRCODE = 'SD032';
    END IF;
    SELECT array_agg(i.signal_id) INTO v_repoint
      FROM signaldesk.merge_items i JOIN signaldesk.signals s ON s.id = i.signal_id
     WHERE i.merge_id = p_merge AND i.role = 'repointed' AND s.status = 'duplicate'
       AND s.duplicate_of = v_m.main_id AND (i.before->>'duplicate_of')::bigint = ANY (v_back);

    UPDATE signaldesk.merges SET undone_at = now(), undone_by = signaldesk.acting_login(), undone_xid = pg_current_xact_id()
     WHERE id = p_merge;

    INSERT INTO signaldesk.signal_events (signal_id, kind, old_value, new_value, comment, public)
    SELECT s.id, 'unmerged', v_main.reg_no, NULL, NULL, true
      FROM signaldesk.signals s WHERE s.id = ANY (v_back);
    INSERT INTO signaldesk.signal_events (signal_id, kind, old_value, new_value, comment, public)
    SELECT i.signal_id, 'status', 'duplicate', i.before->>'status', v_comment, false
      FROM signaldesk.merge_items i WHERE i.merge_id = p_merge AND i.signal_id = ANY (v_back);
    INSERT INTO signaldesk.signal_events (signal_id, kind, old_value, new_value, public)
    SELECT i.signal_id, 'merged_into', v_main.reg_no, b.reg_no, false
      FROM signaldesk.merge_items i JOIN signaldesk.signals b ON b.id = (i.before->>'duplicate_of')::bigint
     WHERE i.merge_id = p_merge AND i.signal_id = ANY (coalesce(v_repoint, '{}'));
    INSERT INTO signaldesk.signal_events (signal_id, kind, old_value, new_value, comment, public)
    SELECT v_main.id, 'unmerge', string_agg(s.reg_no, ', ' ORDER BY s.created_at, s.id), NULL, v_comment, false
      FROM signaldesk.signals s WHERE s.id = ANY (v_back);

    UPDATE signaldesk.signals s
       SET status = i.before->>'status', duplicate_of = NULL,
           unit_id = (i.before->>'unit_id')::integer, assignee = i.before->>'assignee',
           priority = (i.before->>'priority')::smallint, due_at = (i.before->>'due_at')::timestamptz,
           version = s.version + 1, updated_at = now()
      FROM signaldesk.merge_items i
     WHERE i.merge_id = p_merge AND i.signal_id = s.id AND s.id = ANY (v_back);
    -- the status trigger clears closed_at/resolved_at of a signal open again;
    -- put back any the signal had (an open signal seldom has)
    UPDATE signaldesk.signals s
       SET resolved_at = (i.before->>'resolved_at')::timestamptz, closed_at = (i.before->>'closed_at')::timestamptz
      FROM signaldesk.merge_items i
     WHERE i.merge_id = p_merge AND i.signal_id = s.id AND s.id = ANY (v_back)
       AND (s.resolved_at IS DISTINCT FROM (i.before->>'resolved_at')::timestamptz
            OR s.closed_at IS DISTINCT FROM (i.before->>'closed_at')::timestamptz);
    UPDATE signaldesk.signals s
       SET duplicate_of = (i.before->>'duplicate_of')::bigint, version = s.version + 1, updated_at = now()
      FROM signaldesk.merge_items i
     WHERE i.merge_id = p_merge AND i.signal_id = s.id AND s.id = ANY (coalesce(v_repoint, '{}'));
    DELETE FROM signaldesk.reporters WHERE id = ANY (v_m.reporter_ids) AND signal_id = v_m.main_id;

    -- The main signal: back to its own priority and due date, unless changed since.
    v_prio := v_main.priority;
    v_due := v_main.due_at;
    IF v_main.priority = (v_m.main_after->>'priority')::smallint THEN
        v_prio := (v_m.main_before->>'priority')::smallint;
    END IF;
    IF v_main.due_at IS NOT DISTINCT FROM (v_m.main_after->>'due_at')::timestamptz THEN
        v_due := (v_m.main_before->>'due_at')::timestamptz;
    END IF;
    IF v_prio <> v_main.priority THEN
        INSERT INTO signaldesk.signal_events (signal_id, kind, old_value, new_value)
        VALUES (v_main.id, 'priority', v_main.priority::text, v_prio::text);
    END IF;
    IF v_due IS DISTINCT FROM v_main.due_at THEN
        INSERT INTO signaldesk.signal_events (signal_id, kind, old_value, new_value)
        VALUES (v_main.id, 'due', signaldesk.event_time(v_main.due_at), signaldesk.event_time(v_due));
    END IF;
    UPDATE signaldesk.signals
       SET priority = v_prio, due_at = v_due, version = version + 1, updated_at = now()
     WHERE id = v_main.id;

    PERFORM pg_notify('signaldesk', x::text)
       FROM unnest(v_main.id || v_back || coalesce(v_repoint, '{}')) x;
    RETURN cardinality(v_back);
END $$;

-- The caller of the intake form reports what is already there: one more
-- reporter of the existing signal (of its main signal, if it is a
-- duplicate), who gets that signal's number.  Returns the signal's id.
CREATE FUNCTION add_reporter(p_signal bigint, p_name text, p_phone text, p_email text,
                             p_wants_updates boolean, p_channel text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_id  bigint;
    v_dup bigint;
BEGIN
    SELECT id, duplicate_of INTO v_id, v_dup FROM signaldesk.signals WHERE id = p_signal;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'signal % does not exist', p_signal USING ERRCODE = 'SD004';
    END IF;
    v_id := coalesce(v_dup, v_id);
    INSERT INTO signaldesk.reporters (signal_id, name, phone, email, wants_updates)
    VALUES (v_id, coalesce(btrim(p_name), ''), coalesce(btrim(p_phone), ''), coalesce(btrim(p_email), ''),
            coalesce(p_wants_updates, false));
    INSERT INTO signaldesk.signal_events (signal_id, kind, new_value, comment)
    VALUES (v_id, 'reporter', p_channel, nullif(btrim(coalesce(p_name, '')), ''));
    UPDATE signaldesk.signals SET version = version + 1, updated_at = now() WHERE id = v_id;
    PERFORM pg_notify('signaldesk', v_id::text);
    RETURN v_id;
END $$;

-- Groups of open signals that probably report the same problem: same
-- category, each within p_radius_m of another of the group, descriptions at
-- least p_min_similarity alike.  Largest first, then the oldest; one district
-- or (p_district NULL) the whole city.  Ids of a group in order of arrival.
-- Pairs are found on a grid of cells as wide as the radius: a signal meets
-- only the signals of its category in its own and the eight cells around.
CREATE FUNCTION dupe_clusters(p_district smallint, p_radius_m double precision, p_min_similarity real,
                              p_limit integer)
RETURNS TABLE (size integer, ids bigint[])
LANGUAGE sql STABLE AS $$
    WITH RECURSIVE open_here AS MATERIALIZED (
        SELECT s.id, s.category_id, s.location, s.description, s.created_at
          FROM signaldesk.signals s
         WHERE s.status IN ('new', 'registered', 'assigned', 'in_progress', 'waiting')
           AND s.location IS NOT NULL AND s.category_id IS NOT NULL
           AND (p_district IS NULL OR s.district_id = p_district)
    ), grid AS (
        SELECT p_radius_m / 111320.0 AS dy,
               p_radius_m / (111320.0 * greatest(cos(radians(max(abs(location[1])))), 0.01)) AS dx
          FROM open_here
    ), cells AS MATERIALIZED (
        SELECT o.id, o.category_id, o.location,
               floor(o.location[0] / g.dx)::bigint AS cx, floor(o.location[1] / g.dy)::bigint AS cy
          FROM open_here o, grid g
    ), probes AS MATERIALIZED (
        SELECT c.id, c.category_id, c.location, c.cx + n.x AS ncx, c.cy + n.y AS ncy
          FROM cells c
         CROSS JOIN (VALUES (-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 0), (0, 1), (1, -1), (1, 0), (1, 1)) n(x, y)
    ), near AS MATERIALIZED (
        SELECT a.id AS a, b.id AS b
          FROM probes a
          JOIN cells b ON b.category_id = a.category_id AND b.cx = a.ncx AND b.cy = a.ncy
         WHERE b.id > a.id AND signaldesk.distance_m(a.location, b.location) <= p_radius_m
    ), pairs AS MATERIALIZED (
        SELECT n.a, n.b
          FROM near n JOIN open_here x ON x.id = n.a JOIN open_here y ON y.id = n.b
         WHERE similarity(x.description, y.description) >= p_min_similarity
    ), edges AS MATERIALIZED (
        SELECT a, b FROM pairs UNION ALL SELECT b, a FROM pairs
    ), reach (node, root) AS (
        SELECT a, a FROM edges
        UNION
        SELECT e.b, r.root FROM reach r JOIN edges e ON e.a = r.node
    ), groups AS (
        SELECT node, min(root) AS grp FROM reach GROUP BY node
    )
    SELECT count(*)::integer, array_agg(o.id ORDER BY o.created_at, o.id)
      FROM groups g JOIN open_here o ON o.id = g.node
     GROUP BY g.grp
     ORDER BY count(*) DESC, min(o.created_at), g.grp
     LIMIT p_limit
$$;

-- Who may do what (see 008): merging and undoing run with the database's
-- rights, since they copy and remove reporters, whose contact details
-- operators may not read; the merge records are written only by them.
INSERT INTO function_rules VALUES ('merge_signals', 'definer'), ('unmerge_signals', 'definer'),
                                  ('add_reporter', 'definer');
INSERT INTO reference_tables VALUES ('merges', false, '{}', false, false),
                                    ('merge_items', false, '{}', false, false);
SELECT apply_privileges();
