-- 012: an imported or registered signal is written once, not twice.  The reporters'
-- statement trigger (004) wrote every signal whose reporters it saw again,
-- even when its reporters_text was already right; each such write makes the
-- search text again (010) and adds a new version of the row to every index
-- of signals.  On an import that was 47.5 of every 96 seconds.
--   * the trigger writes only the signals whose names changed;
--   * import_apply and create_signal give each signal its reporter's name in
--     its own insert (a new signal has at most one reporter), so the
--     trigger finds nothing to write.
SET LOCAL search_path = signaldesk, public;

CREATE OR REPLACE FUNCTION reporters_to_signals() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_ids bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT signal_id) INTO v_ids FROM new_rows;
    ELSIF TG_OP = 'UPDATE' THEN
        SELECT array_agg(DISTINCT signal_id) INTO v_ids
          FROM (SELECT signal_id FROM new_rows UNION ALL SELECT signal_id FROM old_rows) x;
    ELSE
        SELECT array_agg(DISTINCT signal_id) INTO v_ids FROM old_rows;
    END IF;
    UPDATE signaldesk.signals s SET reporters_text = x.t
      FROM (SELECT c.id, coalesce(string_agg(r.name, ' ' ORDER BY r.id), '') AS t
              FROM unnest(v_ids) AS c (id)
              LEFT JOIN signaldesk.reporters r ON r.signal_id = c.id
             GROUP BY c.id) x
     WHERE s.id = x.id AND s.reporters_text IS DISTINCT FROM x.t;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION import_apply(p_format text, p_source text, p_comment text,
                                        OUT inserted bigint, OUT first_reg_no text, OUT last_reg_no text)
LANGUAGE plpgsql AS $$
BEGIN
    -- per row only what is worked out here (narrow: the staging table is
    -- read again below rather than copied): the new id, names to ids, the
    -- unit, the due date, the place in its year's block of numbers
    CREATE TEMP TABLE import_keys ON COMMIT DROP AS
    WITH cats AS (
        SELECT n.name, min(n.id) AS id FROM signaldesk.category_names n
         WHERE n.name IN (SELECT DISTINCT category FROM pg_temp.import_rows) GROUP BY n.name
    ), rows AS (
        SELECT r.line, r.created_at, r.due_at, r.reg_no IS NULL AS numbered,
               c.id AS category_id, d.id AS district_id, u.id AS given_unit_id
          FROM pg_temp.import_rows r
          LEFT JOIN cats c ON c.name = r.category
          LEFT JOIN signaldesk.districts d ON d.name = r.district
          LEFT JOIN signaldesk.units u ON u.name = r.unit
         WHERE NOT r.skip
    ), routes AS (
        SELECT category_id, district_id, signaldesk.route_unit(category_id, district_id) AS unit_id,
               signaldesk.due_at(category_id, timestamptz '2000-01-01 00:00+00')
                   - timestamptz '2000-01-01 00:00+00' AS sla
          FROM (SELECT DISTINCT category_id, district_id FROM rows) x
    ), ids AS (
        -- new ids in the order of the file's lines
        SELECT id, row_number() OVER (ORDER BY id) AS k
          FROM (SELECT nextval(pg_get_serial_sequence('signaldesk.signals', 'id')) AS id
                  FROM generate_series(1, (SELECT count(*) FROM rows))) x
    ), numbered AS (
        SELECT r.*, row_number() OVER (ORDER BY r.line) AS k FROM rows r
    )
    SELECT r.line, ids.id, r.category_id, r.district_id,
           coalesce(r.given_unit_id, rt.unit_id) AS unit_id,
           coalesce(r.due_at, r.created_at + rt.sla) AS due,
           extract(year FROM r.created_at)::integer AS year,
           CASE WHEN r.numbered
                THEN row_number() OVER (PARTITION BY r.numbered, extract(year FROM r.created_at)
                                        ORDER BY r.created_at, r.line) END AS n
      FROM numbered r
      JOIN ids ON ids.k = r.k
      -- (coalesce: an equality the planner can hash; ids start at 1)
      LEFT JOIN routes rt ON coalesce(rt.category_id, 0) = coalesce(r.category_id, 0)
                         AND coalesce(rt.district_id, 0) = coalesce(r.district_id, 0);
    ANALYZE pg_temp.import_keys;

    -- one block of numbers per year
    CREATE TEMP TABLE import_blocks ON COMMIT DROP AS
    SELECT year, signaldesk.take_reg_numbers(year, count(*)::integer) AS first
      FROM pg_temp.import_keys WHERE n IS NOT NULL GROUP BY year;

    -- reporters_text: the name of the one reporter inserted below, as the
    -- reporters' trigger would make it ('' when there is none)
    INSERT INTO signaldesk.signals (id, reg_no, kind, created_at, channel, category_id, district_id,
                                    address, location, description, status, unit_id, assignee,
                                    priority, due_at, resolved_at, closed_at, reporters_text)
    SELECT k.id,
           coalesce(r.reg_no, signaldesk.format_reg_no(p_format, k.year, b.first + k.n - 1)),
           coalesce(r.kind, 'problem'), r.created_at, coalesce(r.channel, 'web'),
           k.category_id, k.district_id, coalesce(r.address, ''),
           CASE WHEN r.lat IS NOT NULL AND r.lon IS NOT NULL THEN point(r.lon, r.lat) END,
           coalesce(r.description, ''), coalesce(r.status, 'new'), k.unit_id, r.assignee,
           coalesce(r.priority, 1), k.due, r.resolved_at, r.closed_at,
           coalesce(r.reporter, '')
      FROM pg_temp.import_rows r
      JOIN pg_temp.import_keys k ON k.line = r.line
      LEFT JOIN pg_temp.import_blocks b ON b.year = k.year AND k.n IS NOT NULL;
    GET DIAGNOSTICS inserted = ROW_COUNT;

    -- duplicates point at signals of the database or of the same file
    UPDATE signaldesk.signals s SET duplicate_of = m.id
      FROM pg_temp.import_rows r
      JOIN pg_temp.import_keys k ON k.line = r.line
      JOIN signaldesk.signals m ON m.reg_no = r.duplicate_of
     WHERE s.id = k.id AND r.duplicate_of IS NOT NULL;

    INSERT INTO signaldesk.signal_events (signal_id, kind, new_value, comment)
    SELECT k.id, 'created', coalesce(r.channel, 'web'), format(p_comment, r.source_id)
      FROM pg_temp.import_rows r JOIN pg_temp.import_keys k ON k.line = r.line;
    -- when the source says it was confirmed or acknowledged
    INSERT INTO signaldesk.signal_events (signal_id, at, kind, comment)
    SELECT k.id, x.at, x.kind, format(p_comment, r.source_id)
      FROM pg_temp.import_rows r
      JOIN pg_temp.import_keys k ON k.line = r.line
      CROSS JOIN LATERAL (VALUES (r.confirmed_at, 'confirmed'), (r.acknowledged_at, 'acknowledged')) x (at, kind)
     WHERE x.at IS NOT NULL;

    INSERT INTO signaldesk.reporters (signal_id, name, phone, email, wants_updates)
    SELECT k.id, coalesce(r.reporter, ''), coalesce(r.phone, ''), coalesce(r.email, ''),
           coalesce(r.wants_updates, false)
      FROM pg_temp.import_rows r JOIN pg_temp.import_keys k ON k.line = r.line
     WHERE r.reporter IS NOT NULL OR r.phone IS NOT NULL OR r.email IS NOT NULL
        OR r.wants_updates IS NOT NULL;

    INSERT INTO signaldesk.signal_sources (source, source_id, signal_id)
    SELECT p_source, r.source_id, k.id
      FROM pg_temp.import_rows r JOIN pg_temp.import_keys k ON k.line = r.line;

    SELECT min(s.reg_no), max(s.reg_no) INTO first_reg_no, last_reg_no
      FROM signaldesk.signals s JOIN pg_temp.import_keys k ON k.id = s.id;
    PERFORM pg_notify('signaldesk', 'import');
END $$;

-- A call registered at the intake form (003), its reporter named at once.
CREATE OR REPLACE FUNCTION create_signal(p_key text, p_format text, p_year integer, p_kind text,
                                         p_channel text, p_category integer, p_district smallint,
                                         p_address text, p_lat double precision, p_lon double precision,
                                         p_description text, p_name text, p_phone text, p_email text,
                                         p_wants boolean, p_attachments text[], p_answer text)
RETURNS TABLE (id bigint, reg_no text, created boolean, status_now text, unit_name text, due timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
    v_id     bigint;
    v_reg    text;
    v_year   integer := coalesce(p_year, extract(year FROM now())::integer);
    v_ver    integer;
    v_reporter boolean;
BEGIN
    IF p_key IS NOT NULL THEN
        SELECT k.signal_id INTO v_id FROM signaldesk.intake_keys k WHERE k.key = p_key;
        IF FOUND THEN
            RETURN QUERY SELECT s.id, s.reg_no, false, s.status, u.name, s.due_at
                           FROM signaldesk.signals s LEFT JOIN signaldesk.units u ON u.id = s.unit_id
                          WHERE s.id = v_id;
            RETURN;
        END IF;
    END IF;
    IF coalesce(btrim(p_description), '') = '' THEN
        RAISE EXCEPTION 'a signal needs a description' USING ERRCODE = 'SD005';
    END IF;
    v_reporter := coalesce(btrim(p_name), '') <> '' OR coalesce(btrim(p_phone), '') <> ''
                  OR coalesce(btrim(p_email), '') <> '';
    v_reg := signaldesk.format_reg_no(p_format, v_year, signaldesk.take_reg_numbers(v_year));
    -- the reporter's name as the reporters' trigger would put it, so the
    -- signal is written once
    INSERT INTO signaldesk.signals AS s (reg_no, kind, channel, category_id, district_id, address, location,
                                         description, unit_id, due_at, reporters_text)
    VALUES (v_reg, coalesce(p_kind, 'problem'), coalesce(p_channel, 'phone'), p_category, p_district,
            coalesce(btrim(p_address), ''),
            CASE WHEN p_lat IS NOT NULL AND p_lon IS NOT NULL THEN point(p_lon, p_lat) END,
            btrim(p_description), signaldesk.route_unit(p_category, p_district),
            signaldesk.due_at(p_category, now()),
            CASE WHEN v_reporter THEN coalesce(btrim(p_name), '') ELSE '' END)
    RETURNING s.id INTO v_id;
    IF v_reporter THEN
        INSERT INTO signaldesk.reporters (signal_id, name, phone, email, wants_updates)
        VALUES (v_id, coalesce(btrim(p_name), ''), coalesce(btrim(p_phone), ''),
                coalesce(btrim(p_email), ''), coalesce(p_wants, false));
    END IF;
    INSERT INTO signaldesk.attachments (signal_id, ref)
    SELECT v_id, btrim(a) FROM unnest(p_attachments) a WHERE coalesce(btrim(a), '') <> '';
    INSERT INTO signaldesk.signal_events (signal_id, kind, new_value)
    VALUES (v_id, 'created', coalesce(p_channel, 'phone'));
    IF p_key IS NOT NULL THEN
        INSERT INTO signaldesk.intake_keys (key, signal_id) VALUES (p_key, v_id);
    END IF;
    IF coalesce(btrim(p_answer), '') <> '' THEN
        v_ver := signaldesk.change_status(v_id, 1, 'closed', p_answer, true);
    END IF;
    PERFORM pg_notify('signaldesk', v_id::text);
    RETURN QUERY SELECT s.id, s.reg_no, true, s.status, u.name, s.due_at
                   FROM signaldesk.signals s LEFT JOIN signaldesk.units u ON u.id = s.unit_id
                  WHERE s.id = v_id;
END $$;
