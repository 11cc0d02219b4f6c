-- 003: the operator's working day: registering a call, triage, routing,
-- assignment, bulk changes, answers to questions and messages to citizens.
SET LOCAL search_path = signaldesk, public;

-- ---- the workflow, all in its tables --------------------------------------

-- Which time stamp entering a status sets; the trigger reads it from here.
-- `label` is the word a citizen reads in a message.
ALTER TABLE statuses ADD COLUMN stamps text CHECK (stamps IN ('resolved_at', 'closed_at'));
ALTER TABLE statuses ADD COLUMN label text NOT NULL DEFAULT '';
UPDATE statuses SET
    stamps = CASE code WHEN 'resolved' THEN 'resolved_at'
                       WHEN 'closed' THEN 'closed_at'
                       WHEN 'rejected' THEN 'closed_at'
                       WHEN 'duplicate' THEN 'closed_at' END,
    label = CASE code WHEN 'new' THEN 'нов' WHEN 'registered' THEN 'регистриран'
                      WHEN 'assigned' THEN 'възложен' WHEN 'in_progress' THEN 'в работа'
                      WHEN 'waiting' THEN 'чака' WHEN 'resolved' THEN 'решен'
                      WHEN 'closed' THEN 'приключен' WHEN 'rejected' THEN 'отхвърлен'
                      WHEN 'duplicate' THEN 'дубликат' END;

-- A transition may be only for one kind of signal: a question is closed on
-- the spot with its answer, a problem is not.
ALTER TABLE status_transitions ADD COLUMN only_kind text CHECK (only_kind IN ('problem', 'question'));
INSERT INTO status_transitions (from_status, to_status, needs_public_comment, only_kind) VALUES
    ('new', 'closed', true, 'question'), ('registered', 'closed', true, 'question'),
    ('assigned', 'closed', true, 'question'), ('in_progress', 'closed', true, 'question'),
    ('waiting', 'closed', true, 'question');

CREATE OR REPLACE FUNCTION check_status_transition() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_stamps text;
BEGIN
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        IF NOT EXISTS (SELECT 1 FROM signaldesk.status_transitions
                        WHERE from_status = OLD.status AND to_status = NEW.status
                          AND (only_kind IS NULL OR only_kind = NEW.kind)) THEN
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

-- ---- messages to citizens -------------------------------------------------

-- Texts of the messages the system writes by itself; placeholders as in
-- fill_placeholders().  Admins may edit them.
CREATE TABLE message_templates (
    name     text PRIMARY KEY,
    subject  text NOT NULL,
    body     text NOT NULL
);
INSERT INTO message_templates (name, subject, body) VALUES
    ('status_change', 'Сигнал {reg_no}: {status}',
     E'Здравейте,\n\nСтатусът на Вашия сигнал № {reg_no} от {created} вече е „{status}“ ({date}).\n'
     || E'Категория: {category}\nАдрес: {address}\nОтговаря: {unit}\n\n{comment}\n\n'
     || E'Това съобщение е изпратено автоматично; моля, не отговаряйте на него.\n');

ALTER TABLE notifications DROP CONSTRAINT notifications_status_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_status_check
    CHECK (status IN ('pending', 'sending', 'sent', 'failed'));
-- Who is handing a message to the mailer now (a backend pid): a 'sending'
-- row whose sender is gone was interrupted and is never sent again.
ALTER TABLE notifications ADD COLUMN claimed_by integer;
ALTER TABLE notifications ADD COLUMN attempted_at timestamptz;

-- Placeholders of response templates and messages: {reg_no} {unit} {date}
-- {status} {category} {address} {created} {comment}.  p_status is the status
-- the text speaks of (default: the signal's own), p_date today's date as the
-- console shows it (default: the database's today).
CREATE FUNCTION fill_placeholders(p_text text, p_id bigint, p_status text DEFAULT NULL,
                                  p_comment text DEFAULT NULL, p_date text DEFAULT NULL)
RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT regexp_replace(
             replace(replace(replace(replace(replace(replace(replace(replace(p_text,
               '{reg_no}', s.reg_no),
               '{unit}', coalesce(u.name, '—')),
               '{date}', coalesce(p_date, to_char(now(), 'DD.MM.YYYY'))),
               '{status}', coalesce(st.label, coalesce(p_status, s.status))),
               '{category}', coalesce(c.name, '—')),
               '{address}', coalesce(nullif(s.address, ''), '—')),
               '{created}', to_char(s.created_at, 'DD.MM.YYYY')),
               '{comment}', coalesce(btrim(p_comment), '')),
             E'\n{3,}', E'\n\n', 'g')
      FROM signaldesk.signals s
      LEFT JOIN signaldesk.units u ON u.id = s.unit_id
      LEFT JOIN signaldesk.categories c ON c.id = s.category_id
      LEFT JOIN signaldesk.statuses st ON st.code = coalesce(p_status, s.status)
     WHERE s.id = p_id
$$;

-- One user action = one call = one transaction: check the version, change the
-- status, write the event, queue the citizen's message, tell every console.
-- Returns the new version, or NULL when someone else changed the signal first.
CREATE OR REPLACE FUNCTION change_status(p_id bigint, p_version integer, p_status text,
                                         p_comment text, p_public boolean)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    v_old     text;
    v_kind    text;
    v_version integer;
BEGIN
    SELECT status, kind INTO v_old, v_kind FROM signaldesk.signals WHERE id = p_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'signal % does not exist', p_id USING ERRCODE = 'SD004';
    END IF;
    IF EXISTS (SELECT 1 FROM signaldesk.status_transitions
                WHERE from_status = v_old AND to_status = p_status
                  AND (only_kind IS NULL OR only_kind = v_kind)
                  AND needs_public_comment)
       AND (coalesce(btrim(p_comment), '') = '' OR NOT p_public) THEN
        RAISE EXCEPTION 'status % needs a public comment', p_status USING ERRCODE = 'SD002';
    END IF;
    UPDATE signaldesk.signals
       SET status = p_status, version = version + 1, updated_at = now()
     WHERE id = p_id AND version = p_version
    RETURNING version INTO v_version;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    INSERT INTO signaldesk.signal_events (signal_id, kind, old_value, new_value, comment, public)
    VALUES (p_id, 'status', v_old, p_status, nullif(btrim(p_comment), ''), coalesce(p_public, false));
    -- every reporter who asked for updates, once per address
    INSERT INTO signaldesk.notifications (signal_id, to_addr, subject, body)
    SELECT DISTINCT ON (lower(btrim(r.email))) p_id, btrim(r.email),
           signaldesk.fill_placeholders(t.subject, p_id, p_status),
           signaldesk.fill_placeholders(t.body, p_id, p_status,
                                        CASE WHEN p_public THEN p_comment END)
      FROM signaldesk.reporters r
      JOIN signaldesk.message_templates t ON t.name = 'status_change'
     WHERE r.signal_id = p_id AND r.wants_updates AND btrim(r.email) <> ''
     ORDER BY lower(btrim(r.email)), r.id;
    PERFORM pg_notify('signaldesk', p_id::text);
    RETURN v_version;
END $$;

-- ---- triage: one field of a signal at a time --------------------------------

-- The name of a category as the history shows it.
CREATE FUNCTION category_name(p_id integer) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT name FROM signaldesk.categories WHERE id = p_id
$$;

-- Sets one field: category, district, unit, assignee, priority, description,
-- address or kind.  Checks the version, writes an event with the old and the
-- new value (names, as people read them), tells every console.  A new
-- category or district routes the signal again when its unit was the routing
-- table's choice (a unit set by hand stays), and a new category brings its
-- due date.  Returns the new version (the old one when nothing changed), or
-- NULL when someone else changed the signal first.
CREATE FUNCTION set_signal_field(p_id bigint, p_version integer, p_field text, p_value text,
                                 p_comment text DEFAULT NULL, p_public boolean DEFAULT false)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    s          signaldesk.signals%ROWTYPE;
    v_value    text := nullif(btrim(p_value), '');
    v_old      text;
    v_new      text;
    v_cat      integer;
    v_district smallint;
    v_unit     integer;
    v_due      timestamptz;
    v_version  integer;
BEGIN
    SELECT * INTO s FROM signaldesk.signals WHERE id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'signal % does not exist', p_id USING ERRCODE = 'SD004';
    END IF;
    IF s.version <> p_version THEN
        RETURN NULL;
    END IF;
    v_cat := s.category_id;
    v_district := s.district_id;
    v_unit := s.unit_id;
    v_due := s.due_at;
    CASE p_field
    WHEN 'category', 'district' THEN
        IF p_field = 'category' THEN
            v_cat := v_value::integer;
            IF v_cat IS NULL OR NOT EXISTS (SELECT 1 FROM signaldesk.categories WHERE id = v_cat AND active) THEN
                RAISE EXCEPTION 'no such category: %', p_value USING ERRCODE = 'SD005';
            END IF;
            IF v_cat IS NOT DISTINCT FROM s.category_id THEN
                RETURN s.version;
            END IF;
            v_due := coalesce(signaldesk.due_at(v_cat, s.created_at), s.due_at);
        ELSE
            v_district := v_value::smallint;
            IF v_district IS NOT NULL AND NOT EXISTS (SELECT 1 FROM signaldesk.districts WHERE id = v_district) THEN
                RAISE EXCEPTION 'no such district: %', p_value USING ERRCODE = 'SD005';
            END IF;
            IF v_district IS NOT DISTINCT FROM s.district_id THEN
                RETURN s.version;
            END IF;
        END IF;
        IF s.unit_id IS NULL OR s.unit_id = signaldesk.route_unit(s.category_id, s.district_id) THEN
            v_unit := coalesce(signaldesk.route_unit(v_cat, v_district), s.unit_id);
        END IF;
        UPDATE signaldesk.signals
           SET category_id = v_cat, district_id = v_district, unit_id = v_unit, due_at = v_due,
               version = version + 1, updated_at = now()
         WHERE id = p_id
        RETURNING version INTO v_version;
        IF p_field = 'category' THEN
            v_old := signaldesk.category_name(s.category_id);
            v_new := signaldesk.category_name(v_cat);
        ELSE
            v_old := (SELECT name FROM signaldesk.districts WHERE id = s.district_id);
            v_new := (SELECT name FROM signaldesk.districts WHERE id = v_district);
        END IF;
        INSERT INTO signaldesk.signal_events (signal_id, kind, old_value, new_value, comment, public)
        VALUES (p_id, p_field, v_old, v_new, nullif(btrim(p_comment), ''), coalesce(p_public, false));
        IF v_unit IS DISTINCT FROM s.unit_id THEN
            INSERT INTO signaldesk.signal_events (signal_id, kind, old_value, new_value)
            VALUES (p_id, 'unit', (SELECT name FROM signaldesk.units WHERE id = s.unit_id),
                    (SELECT name FROM signaldesk.units WHERE id = v_unit));
        END IF;
        IF v_due IS DISTINCT FROM s.due_at THEN
            INSERT INTO signaldesk.signal_events (signal_id, kind, old_value, new_value)
            VALUES (p_id, 'due', s.due_at::text, v_due::text);
        END IF;
    WHEN 'unit' THEN
        v_unit := v_value::integer;
        IF v_unit IS NULL OR NOT EXISTS (SELECT 1 FROM signaldesk.units WHERE id = v_unit AND active) THEN
            RAISE EXCEPTION 'no such unit: %', p_value USING ERRCODE = 'SD005';
        END IF;
        IF v_unit IS NOT DISTINCT FROM s.unit_id THEN
            RETURN s.version;
        END IF;
        UPDATE signaldesk.signals SET unit_id = v_unit, version = version + 1, updated_at = now()
         WHERE id = p_id RETURNING version INTO v_version;
        INSERT INTO signaldesk.signal_events (signal_id, kind, old_value, new_value, comment, public)
        VALUES (p_id, 'unit', (SELECT name FROM signaldesk.units WHERE id = s.unit_id),
                (SELECT name FROM signaldesk.units WHERE id = v_unit),
                nullif(btrim(p_comment), ''), coalesce(p_public, false));
    WHEN 'assignee' THEN
        IF v_value IS NOT NULL AND NOT EXISTS (SELECT 1 FROM signaldesk.operators WHERE login = v_value AND active) THEN
            RAISE EXCEPTION 'no such operator: %', p_value USING ERRCODE = 'SD005';
        END IF;
        IF v_value IS NOT DISTINCT FROM s.assignee THEN
            RETURN s.version;
        END IF;
        UPDATE signaldesk.signals SET assignee = v_value, version = version + 1, updated_at = now()
         WHERE id = p_id RETURNING version INTO v_version;
        INSERT INTO signaldesk.signal_events (signal_id, kind, old_value, new_value, comment, public)
        VALUES (p_id, 'assignee', s.assignee, v_value, nullif(btrim(p_comment), ''), coalesce(p_public, false));
    WHEN 'priority' THEN
        IF v_value IS NULL OR v_value !~ '^[0-3]$' THEN
            RAISE EXCEPTION 'no such priority: %', p_value USING ERRCODE = 'SD005';
        END IF;
        IF v_value::smallint = s.priority THEN
            RETURN s.version;
        END IF;
        UPDATE signaldesk.signals SET priority = v_value::smallint, version = version + 1, updated_at = now()
         WHERE id = p_id RETURNING version INTO v_version;
        INSERT INTO signaldesk.signal_events (signal_id, kind, old_value, new_value, comment, public)
        VALUES (p_id, 'priority', s.priority::text, v_value, nullif(btrim(p_comment), ''), coalesce(p_public, false));
    WHEN 'description', 'address' THEN
        IF p_field = 'description' AND v_value IS NULL THEN
            RAISE EXCEPTION 'a description cannot be empty' USING ERRCODE = 'SD005';
        END IF;
        v_old := CASE p_field WHEN 'description' THEN s.description ELSE s.address END;
        v_new := coalesce(btrim(p_value), '');
        IF v_new = v_old THEN
            RETURN s.version;
        END IF;
        IF p_field = 'description' THEN
            UPDATE signaldesk.signals SET description = v_new, version = version + 1, updated_at = now()
             WHERE id = p_id RETURNING version INTO v_version;
        ELSE
            UPDATE signaldesk.signals SET address = v_new, version = version + 1, updated_at = now()
             WHERE id = p_id RETURNING version INTO v_version;
        END IF;
        INSERT INTO signaldesk.signal_events (signal_id, kind, old_value, new_value, comment, public)
        VALUES (p_id, p_field, v_old, v_new, nullif(btrim(p_comment), ''), coalesce(p_public, false));
    WHEN 'kind' THEN
        IF v_value IS NULL OR v_value NOT IN ('problem', 'question') THEN
            RAISE EXCEPTION 'no such kind: %', p_value USING ERRCODE = 'SD005';
        END IF;
        IF v_value = s.kind THEN
            RETURN s.version;
        END IF;
        UPDATE signaldesk.signals SET kind = v_value, version = version + 1, updated_at = now()
         WHERE id = p_id RETURNING version INTO v_version;
        INSERT INTO signaldesk.signal_events (signal_id, kind, old_value, new_value, comment, public)
        VALUES (p_id, 'kind', s.kind, v_value, nullif(btrim(p_comment), ''), coalesce(p_public, false));
    ELSE
        RAISE EXCEPTION 'unknown field %', p_field USING ERRCODE = 'SD006';
    END CASE;
    PERFORM pg_notify('signaldesk', p_id::text);
    RETURN v_version;
END $$;

-- A comment alone changes no field, so it needs no version: two people may
-- write at once.  Public comments are the ones the citizen may read.
CREATE FUNCTION add_comment(p_id bigint, p_comment text, p_public boolean)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(btrim(p_comment), '') = '' THEN
        RAISE EXCEPTION 'an empty comment' USING ERRCODE = 'SD005';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM signaldesk.signals WHERE id = p_id) THEN
        RAISE EXCEPTION 'signal % does not exist', p_id USING ERRCODE = 'SD004';
    END IF;
    INSERT INTO signaldesk.signal_events (signal_id, kind, comment, public)
    VALUES (p_id, 'comment', btrim(p_comment), coalesce(p_public, false));
    PERFORM pg_notify('signaldesk', p_id::text);
END $$;

-- The same change on many signals, all or nothing: each gets its own event
-- (and its own placeholders filled in the comment).  SD009 names the first
-- signal someone else changed meanwhile; then nothing is applied.
CREATE FUNCTION bulk_set(p_ids bigint[], p_versions integer[], p_field text, p_value text,
                         p_comment text DEFAULT NULL, p_public boolean DEFAULT false)
RETURNS TABLE (id bigint, version integer)
LANGUAGE plpgsql AS $$
DECLARE
    i        integer;
    v        integer;
    v_text   text;
BEGIN
    IF cardinality(p_ids) IS DISTINCT FROM cardinality(p_versions) THEN
        RAISE EXCEPTION 'ids and versions differ in number' USING ERRCODE = 'SD006';
    END IF;
    FOR i IN 1 .. coalesce(cardinality(p_ids), 0) LOOP
        v_text := signaldesk.fill_placeholders(nullif(btrim(p_comment), ''), p_ids[i],
                                               CASE WHEN p_field = 'status' THEN p_value END);
        IF p_field = 'status' THEN
            v := signaldesk.change_status(p_ids[i], p_versions[i], p_value, v_text, p_public);
        ELSE
            v := signaldesk.set_signal_field(p_ids[i], p_versions[i], p_field, p_value, v_text, p_public);
        END IF;
        IF v IS NULL THEN
            RAISE EXCEPTION 'signal % was changed meanwhile', p_ids[i]
                USING ERRCODE = 'SD009', DETAIL = p_ids[i]::text;
        END IF;
        id := p_ids[i];
        version := v;
        RETURN NEXT;
    END LOOP;
END $$;

-- Taking the next signal: the oldest of the most urgent unclaimed ones of a
-- queue.  Partial, so they hold only the unclaimed open signals however
-- many are closed or taken; one for any open status, one per status (the
-- New queue) and one per unit (My unit), so the first free one of the queue
-- is found in the index order instead of being filtered for.
CREATE INDEX signals_unclaimed_idx ON signals (priority DESC, created_at, id)
    WHERE assignee IS NULL
      AND status IN ('new', 'registered', 'assigned', 'in_progress', 'waiting');
CREATE INDEX signals_unclaimed_status_idx ON signals (status, priority DESC, created_at, id)
    WHERE assignee IS NULL
      AND status IN ('new', 'registered', 'assigned', 'in_progress', 'waiting');
CREATE INDEX signals_unclaimed_unit_idx ON signals (unit_id, priority DESC, created_at, id)
    WHERE assignee IS NULL
      AND status IN ('new', 'registered', 'assigned', 'in_progress', 'waiting');

-- ---- registering a call ---------------------------------------------------

CREATE TABLE attachments (
    id          bigserial PRIMARY KEY,
    signal_id   bigint NOT NULL REFERENCES signals,
    ref         text NOT NULL CHECK (btrim(ref) <> ''),   -- a URL or a path
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_signal_idx ON attachments (signal_id);

-- The intake form's own key for each signal it saves: saving again after a
-- lost connection finds the signal instead of making a second one.
CREATE TABLE intake_keys (
    key         text PRIMARY KEY,
    signal_id   bigint NOT NULL REFERENCES signals,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Addresses as typed before: suggestions while typing, and the district a
-- known address lies in.  C collation so a prefix LIKE can use it.
CREATE INDEX signals_address_idx ON signals ((lower(address) COLLATE "C")) WHERE address <> '';

-- A new signal in one transaction: its number, unit (routing table), due
-- date (SLA), reporter, attachments, the first event; a question answered on
-- the spot is closed with the answer as its public comment.  Returns the
-- signal as it now is (also when the key was saved before: then `created`
-- is false).
CREATE FUNCTION create_signal(p_key text, p_format text, p_year integer, p_kind text, p_channel text,
                              p_category integer, p_district smallint, p_address text,
                              p_lat double precision, p_lon double precision, p_description text,
                              p_name text, p_phone text, p_email text, p_wants boolean,
                              p_attachments text[], p_answer text)
RETURNS TABLE (id bigint, reg_no text, created boolean, status_now text, unit_name text, due timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
    v_id     bigint;
    v_reg    text;
    v_year   integer := coalesce(p_year, extract(year FROM now())::integer);
    v_ver    integer;
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
    v_reg := signaldesk.format_reg_no(p_format, v_year, signaldesk.take_reg_numbers(v_year));
    INSERT INTO signaldesk.signals AS s (reg_no, kind, channel, category_id, district_id, address, location,
                                         description, unit_id, due_at)
    VALUES (v_reg, coalesce(p_kind, 'problem'), coalesce(p_channel, 'phone'), p_category, p_district,
            coalesce(btrim(p_address), ''),
            CASE WHEN p_lat IS NOT NULL AND p_lon IS NOT NULL THEN point(p_lon, p_lat) END,
            btrim(p_description), signaldesk.route_unit(p_category, p_district),
            signaldesk.due_at(p_category, now()))
    RETURNING s.id INTO v_id;
    IF coalesce(btrim(p_name), '') <> '' OR coalesce(btrim(p_phone), '') <> ''
       OR coalesce(btrim(p_email), '') <> '' THEN
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
