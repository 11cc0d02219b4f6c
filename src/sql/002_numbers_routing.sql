-- 002: what every way of creating a signal shares (the intake form, imports,
-- other systems): registration numbers, routing and due dates, in one place.
SET LOCAL search_path = signaldesk, public;

-- A registration number from the format of [signals] reg_no_format:
-- %y two-digit year, %Y four-digit year, %N the year's number (%6N padded
-- to 6 digits), %% a percent sign.  Mirrors regno_format() in src/regno.c;
-- a test checks they agree.
CREATE FUNCTION format_reg_no(p_format text, p_year integer, p_number bigint)
RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    v_out   text := '';
    v_i     integer := 1;
    v_len   integer := length(p_format);
    v_c     text;
    v_width integer;
BEGIN
    WHILE v_i <= v_len LOOP
        v_c := substr(p_format, v_i, 1);
        IF v_c <> '%' THEN
            v_out := v_out || v_c;
            v_i := v_i + 1;
            CONTINUE;
        END IF;
        v_i := v_i + 1;
        v_width := 0;
        WHILE v_i <= v_len AND substr(p_format, v_i, 1) BETWEEN '0' AND '9' LOOP
            v_width := v_width * 10 + substr(p_format, v_i, 1)::integer;
            v_i := v_i + 1;
        END LOOP;
        v_c := substr(p_format, v_i, 1);
        v_out := v_out || CASE v_c
            WHEN 'y' THEN lpad((p_year % 100)::text, 2, '0')
            WHEN 'Y' THEN lpad(p_year::text, 4, '0')
            WHEN 'N' THEN CASE WHEN length(p_number::text) >= v_width THEN p_number::text
                               ELSE lpad(p_number::text, v_width, '0') END
            WHEN '%' THEN '%'
        END;
        IF v_c NOT IN ('y', 'Y', 'N', '%') THEN
            RAISE EXCEPTION 'bad registration number format %', p_format USING ERRCODE = 'SD010';
        END IF;
        v_i := v_i + 1;
    END LOOP;
    RETURN v_out;
END $$;

-- Takes p_count numbers of the year in one step (an import takes a
-- thousand at once); returns the first.  The counter row stays locked until
-- the caller's transaction ends, so numbers are unique under concurrency and
-- a rolled-back transaction gives its numbers back.
CREATE FUNCTION take_reg_numbers(p_year integer, p_count integer DEFAULT 1)
RETURNS bigint
LANGUAGE sql AS $$
    INSERT INTO signaldesk.reg_counters AS c (year, last) VALUES (p_year, p_count)
    ON CONFLICT (year) DO UPDATE SET last = c.last + p_count
    RETURNING last - p_count + 1
$$;

-- The unit responsible for a category in a district: the routing row of the
-- category, else of its parent, else the category's default unit, else the
-- parent's.  NULL when nothing is known.
CREATE FUNCTION route_unit(p_category integer, p_district smallint)
RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT unit_id FROM signaldesk.routing WHERE category_id = p_category AND district_id = p_district),
        (SELECT r.unit_id FROM signaldesk.routing r JOIN signaldesk.categories c ON c.parent_id = r.category_id
          WHERE c.id = p_category AND r.district_id = p_district),
        (SELECT default_unit_id FROM signaldesk.categories WHERE id = p_category),
        (SELECT p.default_unit_id FROM signaldesk.categories c JOIN signaldesk.categories p ON p.id = c.parent_id
          WHERE c.id = p_category))
$$;

-- When a signal of a category is due: its SLA hours after it came in
-- (the parent's when the category has none of its own).
CREATE FUNCTION due_at(p_category integer, p_created timestamptz)
RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT p_created + make_interval(hours => c.sla_hours)
      FROM signaldesk.categories c WHERE c.id = p_category
$$;
