-- 007: importing signals from other systems' CSV exports.
-- The console streams a file into a temporary staging table (COPY), then
-- import_check() reports every row the database cannot take and
-- import_apply() inserts the whole file set-based, in the caller's one
-- transaction: all of it or nothing.
SET LOCAL search_path = signaldesk, public;

-- Where an imported signal came from: the source (the profile's name, e.g.
-- boston311) and its id there.  Importing the same file again finds the
-- rows here and skips them.
CREATE TABLE signal_sources (
    source      text NOT NULL,
    source_id   text NOT NULL,
    signal_id   bigint NOT NULL REFERENCES signals,
    imported_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, source_id)
);
CREATE INDEX signal_sources_signal_idx ON signal_sources (signal_id);

-- The staging table, one row per data record of the file; `line` is the
-- physical line the record starts on.  Text as it came (after the profile's
-- value maps); dates already in ISO form.  Created per import (ON COMMIT DROP).
CREATE FUNCTION import_stage() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    CREATE TEMP TABLE import_rows (
        line          bigint NOT NULL,
        source_id     text,
        reg_no        text,
        kind          text,
        created_at    timestamptz,
        channel       text,
        category      text,
        district      text,
        address       text,
        lat           double precision,
        lon           double precision,
        description   text,
        status        text,
        unit          text,
        assignee      text,
        priority      smallint,
        due_at        timestamptz,
        resolved_at   timestamptz,
        closed_at     timestamptz,
        duplicate_of  text,
        reporter      text,
        phone         text,
        email         text,
        wants_updates boolean,
        confirmed_at  timestamptz,
        acknowledged_at timestamptz
    ) ON COMMIT DROP;
END $$;

-- A category is named by its own name, or as "Parent › Child" when the name
-- alone is ambiguous.  Both spellings, one row each.
CREATE VIEW category_names AS
    SELECT c.name AS name, c.id FROM categories c
    UNION ALL
    SELECT p.name || ' › ' || c.name, c.id FROM categories c JOIN categories p ON p.id = c.parent_id;

-- Checks the staged rows against the database.  Rows already imported from
-- the same source (or, with p_match_reg_no, whose registration number
-- exists) are marked to skip and counted, not reported.  Every row the
-- database cannot take goes into the temporary table import_errors with its
-- line, the column (our field name), the reason (unknown, ambiguous, used:
-- already in the database, repeated: as on other_line) and the value;
-- returns how many.
-- A file without an id column is known by a digest of each row.
CREATE FUNCTION import_check(p_source text, p_match_reg_no boolean,
                             OUT errors bigint, OUT skipped bigint)
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE pg_temp.import_rows r
       SET source_id = coalesce(r.source_id,
                                'md5:' || md5(row(r.reg_no, r.kind, r.created_at, r.channel, r.category,
                                                  r.district, r.address, r.lat, r.lon, r.description,
                                                  r.status, r.unit, r.assignee, r.priority, r.due_at,
                                                  r.resolved_at, r.closed_at, r.duplicate_of, r.reporter,
                                                  r.phone, r.email)::text)),
           created_at = coalesce(r.created_at, now())
     WHERE r.source_id IS NULL OR r.created_at IS NULL;
    ANALYZE pg_temp.import_rows;
    ALTER TABLE pg_temp.import_rows ADD COLUMN skip boolean NOT NULL DEFAULT false;
    UPDATE pg_temp.import_rows r SET skip = true
      FROM signaldesk.signal_sources s
     WHERE s.source = p_source AND s.source_id = r.source_id;
    IF p_match_reg_no THEN
        UPDATE pg_temp.import_rows r SET skip = true
          FROM signaldesk.signals s
         WHERE s.reg_no = r.reg_no AND NOT r.skip;
    END IF;
    SELECT count(*) INTO skipped FROM pg_temp.import_rows WHERE skip;

    -- names looked up in one pass over the staging table; the checks that
    -- need other rows of the file after it
    CREATE TEMP TABLE import_errors ON COMMIT DROP AS
    SELECT r.line, x.field, x.reason, x.value, NULL::bigint AS other_line
      FROM pg_temp.import_rows r
      LEFT JOIN (SELECT name, count(*) AS n FROM signaldesk.category_names GROUP BY name) c
             ON c.name = r.category
      LEFT JOIN signaldesk.districts d ON d.name = r.district
      LEFT JOIN signaldesk.units u ON u.name = r.unit
      LEFT JOIN signaldesk.operators o ON o.login = r.assignee
     CROSS JOIN LATERAL (VALUES
            ('category', CASE WHEN r.category IS NOT NULL AND c.name IS NULL THEN 'unknown'
                              WHEN c.n > 1 THEN 'ambiguous' END, r.category),
            ('district', CASE WHEN r.district IS NOT NULL AND d.id IS NULL THEN 'unknown' END, r.district),
            ('unit', CASE WHEN r.unit IS NOT NULL AND u.id IS NULL THEN 'unknown' END, r.unit),
            ('assignee', CASE WHEN r.assignee IS NOT NULL AND o.login IS NULL THEN 'unknown' END, r.assignee)
           ) AS x (field, reason, value)
     WHERE NOT r.skip AND x.reason IS NOT NULL
    UNION ALL
    SELECT r.line, 'reg_no', 'used', r.reg_no, NULL
      FROM pg_temp.import_rows r
     WHERE NOT r.skip AND r.reg_no IS NOT NULL
       AND EXISTS (SELECT 1 FROM signaldesk.signals s WHERE s.reg_no = r.reg_no)
    UNION ALL
    SELECT x.line, 'reg_no', 'repeated', x.reg_no, x.first_line
      FROM (SELECT line, reg_no, min(line) OVER (PARTITION BY reg_no) AS first_line
              FROM pg_temp.import_rows WHERE NOT skip AND reg_no IS NOT NULL) x
     WHERE x.line <> x.first_line
    UNION ALL
    SELECT x.line, 'source_id', 'repeated', x.source_id, x.first_line
      FROM (SELECT line, source_id, min(line) OVER (PARTITION BY source_id) AS first_line
              FROM pg_temp.import_rows WHERE NOT skip) x
     WHERE x.line <> x.first_line
    UNION ALL
    SELECT r.line, 'duplicate_of', 'unknown', r.duplicate_of, NULL
      FROM pg_temp.import_rows r
     WHERE NOT r.skip AND r.duplicate_of IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM signaldesk.signals s WHERE s.reg_no = r.duplicate_of)
       AND NOT EXISTS (SELECT 1 FROM pg_temp.import_rows o WHERE NOT o.skip AND o.reg_no = r.duplicate_of);
    SELECT count(*) INTO errors FROM pg_temp.import_errors;
END $$;

-- Inserts the checked rows: registration numbers taken a block per year
-- (take_reg_numbers), routing (route_unit) and due dates (due_at) worked out
-- once per distinct category and district, then signals, their 'created'
-- events, reporters and where they came from.  Set-based: a handful of
-- statements whatever the number of rows.  Returns the number inserted and
-- the first and last registration numbers given.
CREATE FUNCTION import_apply(p_format text, p_source text, p_comment text,
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

    INSERT INTO signaldesk.signals (id, reg_no, kind, created_at, channel, category_id, district_id,
                                    address, location, description, status, unit_id, assignee,
                                    priority, due_at, resolved_at, closed_at)
    SELECT k.id,
           coalesce(r.reg_no, signaldesk.format_reg_no(p_format, k.year, b.first + k.n - 1)),
           coalesce(r.kind, 'problem'), r.created_at, coalesce(r.channel, 'web'),
           k.category_id, k.district_id, coalesce(r.address, ''),
           CASE WHEN r.lat IS NOT NULL AND r.lon IS NOT NULL THEN point(r.lon, r.lat) END,
           coalesce(r.description, ''), coalesce(r.status, 'new'), k.unit_id, r.assignee,
           coalesce(r.priority, 1), k.due, r.resolved_at, r.closed_at
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

-- What import_apply would do, for a dry run: how many signals and which
-- registration numbers they would get (if nobody takes numbers meanwhile),
-- without locking the year's counter, so the intake goes on undisturbed.
CREATE FUNCTION import_preview(p_format text,
                               OUT inserted bigint, OUT first_reg_no text, OUT last_reg_no text)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    WITH todo AS (
        SELECT reg_no, extract(year FROM created_at)::integer AS year
          FROM pg_temp.import_rows WHERE NOT skip
    ), years AS (
        SELECT year, count(*) AS n FROM todo WHERE reg_no IS NULL GROUP BY year
    ), nums AS (
        SELECT signaldesk.format_reg_no(p_format, y.year, coalesce(c.last, 0) + 1) AS a,
               signaldesk.format_reg_no(p_format, y.year, coalesce(c.last, 0) + y.n) AS b
          FROM years y LEFT JOIN signaldesk.reg_counters c ON c.year = y.year
        UNION ALL
        SELECT min(reg_no), max(reg_no) FROM todo WHERE reg_no IS NOT NULL
    )
    SELECT (SELECT count(*) FROM todo), min(a), max(b) INTO inserted, first_reg_no, last_reg_no FROM nums;
END $$;
