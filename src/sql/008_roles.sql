-- 008: who may do what, decided by the database itself.
--
-- Three group roles (NOLOGIN) hold the privileges; each person logs in as a
-- role of their own that is a member of one of them, and `operators` maps
-- that login to a name, a unit and the level:
--   signaldesk_operator    create and work signals; read everything except
--                          reporters' contact details of other units' signals
--   signaldesk_supervisor  an operator who also moves signals across units
--                          and reads every reporter's contact details
--   signaldesk_admin       a supervisor who also keeps the reference data
--                          and the people
-- Nobody may change or remove the history (signal_events, admin_events), nor
-- delete signals; who and when come from the database.
--
-- The privileges are applied by apply_privileges(), which `signaldesk db
-- init` and `db migrate` run again after every migration: tables, sequences
-- and functions added later get the same rules without being listed here.
SET LOCAL search_path = signaldesk, public;

-- ---- the group roles -------------------------------------------------------

-- Roles belong to the cluster, not to one database: create them once, and
-- only when missing (two databases of a cluster share them).
CREATE FUNCTION ensure_group_roles() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['signaldesk_operator', 'signaldesk_supervisor', 'signaldesk_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', r);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;   -- another database of the cluster made it meanwhile
            END;
        END IF;
    END LOOP;
    -- a supervisor can do what an operator can, an admin what a supervisor can
    IF NOT pg_has_role('signaldesk_supervisor', 'signaldesk_operator', 'MEMBER') THEN
        GRANT signaldesk_operator TO signaldesk_supervisor;
    END IF;
    IF NOT pg_has_role('signaldesk_admin', 'signaldesk_supervisor', 'MEMBER') THEN
        GRANT signaldesk_supervisor TO signaldesk_admin;
    END IF;
END $$;

SELECT ensure_group_roles();

-- ---- who is acting ---------------------------------------------------------

-- Code running with the owner's rights: a superuser, the schema's owner, or
-- a SECURITY DEFINER function of the schema (people never log in as the
-- owner).  Only such code may write history with its own actor and time.
CREATE FUNCTION trusted_context() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT current_setting('is_superuser') = 'on'
        OR EXISTS (SELECT 1 FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner
                    WHERE n.nspname = 'signaldesk' AND r.rolname = current_user)
$$;

-- The person behind a change: the role in use, or, when the database's own
-- functions act for someone (SECURITY DEFINER), the role they logged in as.
CREATE FUNCTION acting_login() RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN signaldesk.trusted_context() THEN session_user ELSE current_user END::text
$$;

-- The level of the person at the console: operator, supervisor or admin,
-- from the group role they are a member of (which nobody can claim for
-- themselves).  A superuser or the owner counts as listed in operators, else
-- as an admin.  Every "may this person do it" goes through here.
CREATE OR REPLACE FUNCTION current_level() RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_login text := signaldesk.acting_login();
    v_owner boolean;
BEGIN
    SELECT r.rolsuper OR r.oid = (SELECT nspowner FROM pg_namespace WHERE nspname = 'signaldesk')
      INTO v_owner FROM pg_roles r WHERE r.rolname = v_login;
    IF v_owner THEN
        RETURN coalesce((SELECT level FROM signaldesk.operators WHERE login = v_login AND active), 'admin');
    END IF;
    IF EXISTS (SELECT 1 FROM signaldesk.operators WHERE login = v_login AND NOT active) THEN
        RETURN 'operator';
    END IF;
    RETURN CASE WHEN pg_has_role(v_login, 'signaldesk_admin', 'MEMBER') THEN 'admin'
                WHEN pg_has_role(v_login, 'signaldesk_supervisor', 'MEMBER') THEN 'supervisor'
                ELSE 'operator' END;
END $$;

-- Refuses (SQLSTATE SD403) unless the person has at least p_level.
CREATE OR REPLACE FUNCTION require_level(p_level text) RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_levels constant text[] := ARRAY['operator', 'supervisor', 'admin'];
    v_have   text := signaldesk.current_level();
BEGIN
    IF coalesce(array_position(v_levels, v_have), 0) < array_position(v_levels, p_level) THEN
        RAISE EXCEPTION '% is % and may not do this (needs %)', signaldesk.acting_login(), v_have, p_level
            USING ERRCODE = 'SD403';
    END IF;
END $$;

-- ---- settings only admins change --------------------------------------------

-- Rules the database enforces for everyone.  The console's own INI cannot
-- change them: `signaldesk db init` copies [access] from the admin's INI
-- here, and admins change them on the settings screen.
CREATE TABLE settings (
    key    text PRIMARY KEY,
    value  text NOT NULL,
    CONSTRAINT settings_value_check
        CHECK (key <> 'contacts_outside_unit' OR value IN ('yes', 'no'))
);
-- May operators read the phone and e-mail of reporters of signals outside
-- their own unit?
INSERT INTO settings (key, value) VALUES ('contacts_outside_unit', 'no');

-- ---- reporters' contact details --------------------------------------------

-- Whether the person may read the contact details of a signal's reporters:
-- supervisors and admins always, operators for their own unit's signals (and
-- for all when the setting allows).
CREATE FUNCTION may_read_contacts(p_unit integer) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT pg_has_role(signaldesk.acting_login(), 'signaldesk_supervisor', 'MEMBER')
        OR coalesce((SELECT value = 'yes' FROM signaldesk.settings WHERE key = 'contacts_outside_unit'), false)
        OR EXISTS (SELECT 1 FROM signaldesk.operators o
                    WHERE o.login = signaldesk.acting_login() AND o.active AND o.unit_id = p_unit)
$$;

-- What the console reads: the reporters with their phone and e-mail shown
-- only to those who may read them (operators cannot read those two columns
-- of the table itself).  has_contacts tells the console there is something
-- it does not show.
CREATE VIEW reporter_contacts WITH (security_barrier) AS
SELECT r.id, r.signal_id, r.name,
       CASE WHEN v.ok THEN r.phone ELSE '' END AS phone,
       CASE WHEN v.ok THEN r.email ELSE '' END AS email,
       r.wants_updates, r.created_at, v.ok AS contacts_shown,
       (r.phone <> '' OR r.email <> '') AS has_contacts
  FROM signaldesk.reporters r
  JOIN signaldesk.signals s ON s.id = r.signal_id
  CROSS JOIN LATERAL (SELECT signaldesk.may_read_contacts(s.unit_id) AS ok) v;

-- Columns with people's contact details: operators read them only through
-- views such as reporter_contacts; supervisors and admins read them all.
CREATE TABLE private_columns (
    table_name  text NOT NULL,
    column_name text NOT NULL,
    PRIMARY KEY (table_name, column_name)
);
INSERT INTO private_columns VALUES
    ('reporters', 'phone'), ('reporters', 'email'),
    ('notifications', 'to_addr');   -- the outbox: reporters' e-mail addresses

-- Tables whose rows belong to one person (saved searches): each sees and
-- changes only their own rows (row-level security on the login column), and
-- may delete them.  Tables that do not exist (yet) are skipped.
CREATE TABLE personal_tables (
    table_name   text PRIMARY KEY,
    login_column text NOT NULL
);
INSERT INTO personal_tables VALUES ('saved_queues', 'login');

-- ---- the history is append-only ------------------------------------------

-- Nobody changes or removes history, whoever owns the table: changing it
-- takes disabling this trigger on purpose (ALTER TABLE ... DISABLE TRIGGER),
-- which only the owner can.
CREATE FUNCTION refuse_history_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is the history: its rows are never changed or removed', TG_TABLE_NAME
        USING ERRCODE = 'SD801';
END $$;

CREATE TRIGGER signal_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON signal_events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();

-- Who and when come from the database: whatever a client sends as actor or
-- at is replaced by the role in use and the time of the transaction.  The
-- database's own code (owner, superuser, SECURITY DEFINER functions) may
-- write what it knows (demo data, history taken over from another system);
-- when it leaves the actor to the default, the person who called it is named.
CREATE FUNCTION stamp_event() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF signaldesk.trusted_context() THEN
        IF NEW.actor IS NULL OR NEW.actor = current_user THEN
            NEW.actor := session_user;
        END IF;
        NEW.at := coalesce(NEW.at, now());
    ELSE
        NEW.actor := current_user;
        NEW.at := now();
    END IF;
    RETURN NEW;
END $$;

-- Called only when there is something to decide: a row that names its login
-- (session_user) and the transaction's time is right as it is, and a
-- superuser's rows (demo data, history taken over) are taken as written.
-- So an insert with the defaults costs no call.
CREATE TRIGGER signal_events_stamp BEFORE INSERT ON signal_events
    FOR EACH ROW
    WHEN (current_setting('is_superuser') <> 'on'
          AND (NEW.actor IS DISTINCT FROM session_user OR NEW.at IS DISTINCT FROM now()))
    EXECUTE FUNCTION stamp_event();

-- ---- the audit of reference data and people --------------------------------

-- signal_events is per signal; changes of everything else land here, one row
-- per changed field, written by the triggers below and by the functions that
-- manage people.  Names are kept as they were at the time.
CREATE TABLE admin_events (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text NOT NULL DEFAULT current_user,
    object      text NOT NULL,              -- the table: categories, units, routing, operators ...
    object_id   text NOT NULL,              -- its key
    object_name text NOT NULL DEFAULT '',   -- what people call it
    action      text NOT NULL CHECK (action IN ('add', 'change', 'remove')),
    field       text,                       -- the column changed ('password': no values kept)
    old_value   text,
    new_value   text
);
CREATE INDEX admin_events_at_idx ON admin_events (at, id);
CREATE INDEX admin_events_actor_idx ON admin_events (actor, at, id);
CREATE INDEX admin_events_object_idx ON admin_events (object, at, id);

CREATE TRIGGER admin_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON admin_events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change();
CREATE TRIGGER admin_events_stamp BEFORE INSERT ON admin_events
    FOR EACH ROW
    WHEN (current_setting('is_superuser') <> 'on'
          AND (NEW.actor IS DISTINCT FROM session_user OR NEW.at IS DISTINCT FROM now()))
    EXECUTE FUNCTION stamp_event();

-- The audit trail reads signal_events newest first, by person and by kind
-- too, a page at a time: (…, at, id) so every page is an index range with
-- no sort.  (at, id) serves whatever (at) alone served.
CREATE INDEX signal_events_at_id_idx ON signal_events (at, id);
DROP INDEX signal_events_at_idx;
CREATE INDEX signal_events_actor_idx ON signal_events (actor, at, id);
CREATE INDEX signal_events_kind_idx ON signal_events (kind, at, id);

-- A value as people read it: ids of units, categories and districts by name.
CREATE FUNCTION audit_value(p_field text, p_value text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN p_value IS NULL THEN NULL
        WHEN p_field IN ('unit_id', 'default_unit_id') AND p_value ~ '^[0-9]+$'
            THEN coalesce((SELECT name FROM signaldesk.units WHERE id = p_value::integer), p_value)
        WHEN p_field IN ('parent_id', 'category_id') AND p_value ~ '^[0-9]+$'
            THEN coalesce((SELECT name FROM signaldesk.categories WHERE id = p_value::integer), p_value)
        WHEN p_field = 'district_id' AND p_value ~ '^[0-9]+$'
            THEN coalesce((SELECT name FROM signaldesk.districts WHERE id = p_value::integer), p_value)
        ELSE p_value END
$$;

-- What people call a row of a reference table.
CREATE FUNCTION audit_name(p_table text, p_row jsonb) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE p_table
        WHEN 'routing' THEN
            coalesce(signaldesk.audit_value('category_id', p_row ->> 'category_id'), '?') || ' × '
            || coalesce(signaldesk.audit_value('district_id', p_row ->> 'district_id'), '?')
        WHEN 'operators' THEN (p_row ->> 'login') || ' (' || (p_row ->> 'name') || ')'
        ELSE coalesce(p_row ->> 'name', p_row ->> 'title', p_row ->> 'login', p_row ->> 'key',
                      p_row ->> 'code', '') END
$$;

-- One audit row per changed field (a routing cell is one field, its unit).
-- The trigger's arguments name the key columns.  Runs with the owner's
-- rights: nobody may write admin_events directly.
CREATE FUNCTION audit_reference() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = signaldesk, public, pg_temp AS $$
DECLARE
    o      jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    n      jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    v_row  jsonb := coalesce(n, o);
    v_key  text;
    v_name text;
    k      text;
BEGIN
    SELECT string_agg(v_row ->> c, '/') INTO v_key FROM unnest(TG_ARGV) AS c;
    v_name := signaldesk.audit_name(TG_TABLE_NAME, v_row);
    IF TG_TABLE_NAME = 'routing' THEN
        INSERT INTO signaldesk.admin_events (actor, object, object_id, object_name, action, field,
                                             old_value, new_value)
        VALUES (signaldesk.acting_login(), 'routing', coalesce(v_key, ''), v_name, 'change', 'unit_id',
                signaldesk.audit_value('unit_id', o ->> 'unit_id'),
                signaldesk.audit_value('unit_id', n ->> 'unit_id'));
    ELSIF TG_OP = 'UPDATE' THEN
        FOR k IN SELECT j.key FROM jsonb_each(n) j WHERE j.value IS DISTINCT FROM o -> j.key ORDER BY j.key LOOP
            INSERT INTO signaldesk.admin_events (actor, object, object_id, object_name, action, field,
                                                 old_value, new_value)
            VALUES (signaldesk.acting_login(), TG_TABLE_NAME, coalesce(v_key, ''), v_name, 'change', k,
                    signaldesk.audit_value(k, o ->> k), signaldesk.audit_value(k, n ->> k));
        END LOOP;
    ELSE
        INSERT INTO signaldesk.admin_events (actor, object, object_id, object_name, action)
        VALUES (signaldesk.acting_login(), TG_TABLE_NAME, coalesce(v_key, ''), v_name,
                CASE TG_OP WHEN 'INSERT' THEN 'add' ELSE 'remove' END);
    END IF;
    RETURN NULL;
END $$;

-- The reference tables: what admins may write (everyone else reads them),
-- and which changes are audited.  A later migration that adds a reference
-- table adds a row here; apply_privileges() does the rest.  Tables that do
-- not exist (yet) are skipped.
CREATE TABLE reference_tables (
    name           text PRIMARY KEY,
    admin_insert   boolean NOT NULL,    -- admins may add rows
    admin_update   text[],              -- columns admins may change ('{}' none, NULL all)
    admin_delete   boolean NOT NULL,    -- admins may remove rows
    audited        boolean NOT NULL
);
INSERT INTO reference_tables VALUES
    ('districts',          true,  NULL,                false, true),
    ('units',              true,  NULL,                false, true),
    ('categories',         true,  NULL,                false, true),
    ('routing',            true,  NULL,                true,  true),   -- a cell back to the default
    ('response_templates', true,  NULL,                false, true),
    ('message_templates',  true,  NULL,                false, true),   -- texts of the automatic messages
    ('operators',          false, '{name,unit_id}',    false, true),   -- the rest through the functions below
    ('settings',           false, '{value}',           false, true),
    ('statuses',           false, '{}',                false, true),   -- the workflow is also in the code
    ('status_transitions', false, '{}',                false, true),
    ('schema_migrations',  false, '{}',                false, false),
    ('reference_tables',   false, '{}',                false, true),
    ('private_columns',    false, '{}',                false, true),
    ('admin_events',       false, '{}',                false, false);

-- ---- checks of the reference data ------------------------------------------

ALTER TABLE categories ADD CONSTRAINT categories_name_check CHECK (btrim(name) <> '');
ALTER TABLE categories ADD CONSTRAINT categories_sla_range CHECK (sla_hours BETWEEN 1 AND 8760);
ALTER TABLE units ADD CONSTRAINT units_name_check CHECK (btrim(name) <> '');
ALTER TABLE units ADD CONSTRAINT units_email_check
    CHECK (email IS NULL OR email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$');
ALTER TABLE operators ADD CONSTRAINT operators_name_check CHECK (btrim(name) <> '');
ALTER TABLE response_templates ADD CONSTRAINT response_templates_text_check
    CHECK (btrim(title) <> '' AND btrim(body) <> '');

-- The category tree has two levels (a category and its subcategories), as
-- routing, SLA and the console's "Parent › Child" read it.
CREATE FUNCTION check_category_tree() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.parent_id IS NOT NULL THEN
        IF NEW.parent_id = NEW.id
           OR EXISTS (SELECT 1 FROM signaldesk.categories WHERE id = NEW.parent_id AND parent_id IS NOT NULL)
           OR EXISTS (SELECT 1 FROM signaldesk.categories WHERE parent_id = NEW.id) THEN
            RAISE EXCEPTION 'category % cannot go under %', NEW.name, NEW.parent_id USING ERRCODE = 'SD809';
        END IF;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER categories_tree BEFORE INSERT OR UPDATE OF parent_id ON categories
    FOR EACH ROW EXECUTE FUNCTION check_category_tree();

-- People are never removed: their names stay in the history.
CREATE FUNCTION refuse_operator_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'operators are deactivated, never removed' USING ERRCODE = 'SD807';
END $$;

CREATE TRIGGER operators_never_deleted BEFORE DELETE OR TRUNCATE ON operators
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_operator_delete();

-- ---- moving signals across units --------------------------------------------

-- Operators route signals still in triage (new, registered) or without a
-- unit, and those of their own unit; moving another unit's signal on is for
-- supervisors.  They take a signal themselves, give it back, or give it to
-- someone of its unit or of their own; giving it to anyone else is for
-- supervisors too.  Checked here whatever the client.
CREATE FUNCTION check_signal_move() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_login text;
    v_unit  integer;
BEGIN
    IF signaldesk.trusted_context() OR pg_has_role(current_user, 'signaldesk_supervisor', 'MEMBER') THEN
        RETURN NEW;
    END IF;
    v_login := current_user;
    SELECT unit_id INTO v_unit FROM signaldesk.operators WHERE login = v_login AND active;
    IF NEW.unit_id IS DISTINCT FROM OLD.unit_id AND OLD.unit_id IS NOT NULL
       AND OLD.status NOT IN ('new', 'registered') AND OLD.unit_id IS DISTINCT FROM v_unit THEN
        RAISE EXCEPTION '% may not move a signal of another unit', v_login USING ERRCODE = 'SD802';
    END IF;
    IF NEW.assignee IS DISTINCT FROM OLD.assignee AND NEW.assignee IS NOT NULL AND NEW.assignee <> v_login
       AND NOT EXISTS (SELECT 1 FROM signaldesk.operators o
                        WHERE o.login = NEW.assignee AND o.unit_id IS NOT NULL
                          AND (o.unit_id = NEW.unit_id OR o.unit_id = v_unit)) THEN
        RAISE EXCEPTION '% may not give a signal to someone of another unit', v_login USING ERRCODE = 'SD803';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER signals_move_check BEFORE UPDATE OF unit_id, assignee ON signals
    FOR EACH ROW EXECUTE FUNCTION check_signal_move();

-- ---- people ----------------------------------------------------------------

-- A role the admins may manage: not a superuser or otherwise privileged, not
-- the owner, not one of the group roles, and a member of nothing but them
-- (setting the password of a powerful role would hand over its power).
CREATE FUNCTION role_is_manageable(p_login text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT NOT (r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication OR r.rolbypassrls)
       AND r.oid <> (SELECT nspowner FROM pg_namespace WHERE nspname = 'signaldesk')
       AND r.rolname NOT LIKE 'pg\_%'
       AND r.rolname NOT IN ('signaldesk_operator', 'signaldesk_supervisor', 'signaldesk_admin')
       AND NOT EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                        WHERE m.member = r.oid
                          AND g.rolname NOT IN ('signaldesk_operator', 'signaldesk_supervisor', 'signaldesk_admin'))
      FROM pg_roles r WHERE r.rolname = p_login
$$;

CREATE FUNCTION check_operator_args(p_login text, p_level text, p_unit integer) RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_level IS NOT NULL AND p_level NOT IN ('operator', 'supervisor', 'admin') THEN
        RAISE EXCEPTION 'no such level: %', p_level USING ERRCODE = 'SD806';
    END IF;
    IF p_unit IS NOT NULL AND NOT EXISTS (SELECT 1 FROM signaldesk.units WHERE id = p_unit AND active) THEN
        RAISE EXCEPTION 'no such unit: %', p_unit USING ERRCODE = 'SD810';
    END IF;
END $$;

-- Membership of exactly the group of the level.
CREATE FUNCTION set_group_role(p_login text, p_level text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    g        text;
    v_member boolean;
BEGIN
    FOREACH g IN ARRAY ARRAY['signaldesk_operator', 'signaldesk_supervisor', 'signaldesk_admin'] LOOP
        v_member := EXISTS (SELECT 1 FROM pg_auth_members m
                             WHERE m.roleid = (SELECT oid FROM pg_roles WHERE rolname = g)
                               AND m.member = (SELECT oid FROM pg_roles WHERE rolname = p_login));
        IF g = 'signaldesk_' || p_level AND NOT v_member THEN
            EXECUTE format('GRANT %I TO %I', g, p_login);
        ELSIF g <> 'signaldesk_' || p_level AND v_member THEN
            EXECUTE format('REVOKE %I FROM %I', g, p_login);
        END IF;
    END LOOP;
END $$;

CREATE FUNCTION audit_person(p_login text, p_field text, p_old text, p_new text) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO signaldesk.admin_events (actor, object, object_id, object_name, action, field, old_value, new_value)
    SELECT signaldesk.acting_login(), 'operators', p_login, p_login || ' (' || coalesce(o.name, '') || ')',
           'change', p_field, p_old, p_new
      FROM (SELECT 1) one LEFT JOIN signaldesk.operators o ON o.login = p_login
$$;

-- A new person: their login role (with a password, or none for peer
-- authentication), the group of their level and their row in operators.  An
-- existing role that admins may manage becomes a person too.  The password
-- should come already hashed (the console sends a SCRAM verifier, so the
-- password itself never crosses the network).
CREATE FUNCTION create_operator(p_login text, p_name text, p_unit integer, p_level text, p_password text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = signaldesk, public, pg_temp AS $$
BEGIN
    IF p_login IS NULL OR p_login !~ '^[a-z_][a-z0-9_.-]*$' OR octet_length(p_login) > 63
       OR p_login LIKE 'pg\_%' OR p_login LIKE 'signaldesk\_%'
       OR p_login IN ('public', 'none', 'current_user', 'session_user', 'current_role', 'user') THEN
        RAISE EXCEPTION 'not a login name: %', p_login USING ERRCODE = 'SD804';
    END IF;
    IF coalesce(btrim(p_name), '') = '' THEN
        RAISE EXCEPTION 'a person needs a name' USING ERRCODE = 'SD811';
    END IF;
    PERFORM signaldesk.check_operator_args(p_login, coalesce(p_level, ''), p_unit);
    IF EXISTS (SELECT 1 FROM signaldesk.operators WHERE login = p_login) THEN
        RAISE EXCEPTION 'operator % exists already', p_login USING ERRCODE = 'SD805';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login) THEN
        IF NOT signaldesk.role_is_manageable(p_login) THEN
            RAISE EXCEPTION 'role % cannot be managed here', p_login USING ERRCODE = 'SD805';
        END IF;
        EXECUTE format('ALTER ROLE %I LOGIN', p_login);
    ELSE
        EXECUTE format('CREATE ROLE %I LOGIN', p_login);
    END IF;
    IF coalesce(p_password, '') <> '' THEN
        EXECUTE format('ALTER ROLE %I PASSWORD %L', p_login, p_password);
    END IF;
    -- a transaction left open blocks everyone's vacuum: never for long
    EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', p_login, '5min');
    PERFORM signaldesk.set_group_role(p_login, p_level);
    INSERT INTO signaldesk.operators (login, name, unit_id, level)
    VALUES (p_login, btrim(p_name), p_unit, p_level);
END $$;

CREATE FUNCTION manageable_operator(p_login text) RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM signaldesk.operators WHERE login = p_login) THEN
        RAISE EXCEPTION 'no such operator: %', p_login USING ERRCODE = 'SD808';
    END IF;
    IF NOT coalesce(signaldesk.role_is_manageable(p_login), true) THEN
        RAISE EXCEPTION 'role % cannot be managed here', p_login USING ERRCODE = 'SD805';
    END IF;
END $$;

-- Changes the level: the group role and operators.level together.
-- p_old is the level the admin saw (NULL: any); SD812 when it changed meanwhile.
CREATE FUNCTION set_operator_level(p_login text, p_level text, p_old text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = signaldesk, public, pg_temp AS $$
BEGIN
    PERFORM signaldesk.manageable_operator(p_login);
    PERFORM signaldesk.check_operator_args(p_login, coalesce(p_level, ''), NULL);
    IF p_login = session_user THEN
        RAISE EXCEPTION 'nobody changes their own level' USING ERRCODE = 'SD813';
    END IF;
    IF p_old IS NOT NULL AND NOT EXISTS (SELECT 1 FROM signaldesk.operators WHERE login = p_login AND level = p_old) THEN
        RAISE EXCEPTION 'the level of % changed meanwhile', p_login USING ERRCODE = 'SD812';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login) THEN
        PERFORM signaldesk.set_group_role(p_login, p_level);
    END IF;
    UPDATE signaldesk.operators SET level = p_level WHERE login = p_login AND level IS DISTINCT FROM p_level;
END $$;

-- Deactivates (no more logins, open sessions ended) or activates a person.
CREATE FUNCTION set_operator_active(p_login text, p_active boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = signaldesk, public, pg_temp AS $$
BEGIN
    PERFORM signaldesk.manageable_operator(p_login);
    IF p_login = session_user THEN
        RAISE EXCEPTION 'nobody deactivates themselves' USING ERRCODE = 'SD813';
    END IF;
    IF p_active IS NULL THEN
        RAISE EXCEPTION 'active must be true or false' USING ERRCODE = 'SD811';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login) THEN
        EXECUTE format('ALTER ROLE %I %s', p_login, CASE WHEN p_active THEN 'LOGIN' ELSE 'NOLOGIN' END);
    END IF;
    UPDATE signaldesk.operators SET active = p_active WHERE login = p_login AND active IS DISTINCT FROM p_active;
    IF NOT p_active THEN
        BEGIN
            PERFORM pg_terminate_backend(pid) FROM pg_stat_activity
              WHERE usename = p_login AND datname = current_database();
        EXCEPTION WHEN insufficient_privilege THEN
            NULL;   -- the owner may not end sessions: they end at the next login
        END;
    END IF;
END $$;

-- A new password (a SCRAM verifier from the console, or plain text, which
-- the server hashes).  No value is kept in the audit, only that it changed.
CREATE FUNCTION set_operator_password(p_login text, p_password text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = signaldesk, public, pg_temp AS $$
BEGIN
    PERFORM signaldesk.manageable_operator(p_login);
    IF coalesce(p_password, '') = '' THEN
        RAISE EXCEPTION 'an empty password' USING ERRCODE = 'SD811';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login) THEN
        RAISE EXCEPTION 'no such login: %', p_login USING ERRCODE = 'SD808';
    END IF;
    EXECUTE format('ALTER ROLE %I PASSWORD %L', p_login, p_password);
    PERFORM signaldesk.audit_person(p_login, 'password', NULL, NULL);
END $$;

-- ---- the privileges ----------------------------------------------------------

-- Functions with a rule of their own (all others: everyone may call them,
-- and triggers run with the owner's rights, see apply_privileges):
--   admin    only admins may call it
--   owner    only the owner (db init) calls it
--   invoker  a trigger that must see the person (current_user), not the owner
--   definer  reads what the caller may not (reporters' contact details, for
--            the outbox of a status change): runs with the owner's rights
--   public   anyone who can reach the schema may call it (a role with
--            pg_read_all_data opens the console read-only)
-- A later migration adds its own rows; names of functions that do not exist
-- are skipped.
CREATE TABLE function_rules (
    name  text PRIMARY KEY,
    rule  text NOT NULL CHECK (rule IN ('admin', 'owner', 'invoker', 'definer', 'public'))
);
INSERT INTO function_rules VALUES
    ('create_operator', 'admin'), ('set_operator_level', 'admin'), ('set_operator_active', 'admin'),
    ('set_operator_password', 'admin'),
    ('apply_privileges', 'owner'), ('ensure_group_roles', 'owner'), ('set_group_role', 'owner'),
    ('audit_person', 'owner'),
    ('stamp_event', 'invoker'), ('check_signal_move', 'invoker'), ('refuse_history_change', 'invoker'),
    ('refuse_operator_delete', 'invoker'),
    ('change_status', 'definer'),
    ('current_level', 'public'), ('acting_login', 'public'), ('trusted_context', 'public');
INSERT INTO reference_tables VALUES ('function_rules', false, '{}', false, true),
                                    ('personal_tables', false, '{}', false, true);

-- Applies every rule above to what the schema holds now.  Idempotent; run by
-- the owner at the end of this migration and again by `signaldesk db init`
-- and `db migrate`, so tables, columns, sequences and functions that later
-- migrations add are covered too.
CREATE FUNCTION apply_privileges() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    t       record;
    f       record;
    v_cols  text;
    v_groups constant text := 'signaldesk_operator, signaldesk_supervisor, signaldesk_admin';
BEGIN
    PERFORM signaldesk.ensure_group_roles();
    BEGIN
        REVOKE CREATE ON SCHEMA public FROM PUBLIC;     -- nobody plants objects our functions might find
    EXCEPTION WHEN insufficient_privilege THEN
        NULL;   -- not ours to change; PostgreSQL 15 and later have it so anyway
    END;
    REVOKE ALL ON SCHEMA signaldesk FROM PUBLIC;
    GRANT USAGE ON SCHEMA signaldesk TO signaldesk_operator;

    -- Tables and views: everyone reads; everyone writes the working tables
    -- (views never: a simple view writes with its owner's rights); nobody
    -- deletes; the reference tables are the admins'.
    EXECUTE 'REVOKE ALL ON ALL TABLES IN SCHEMA signaldesk FROM PUBLIC, ' || v_groups;
    GRANT SELECT ON ALL TABLES IN SCHEMA signaldesk TO signaldesk_operator;
    FOR t IN SELECT c.relname FROM pg_class c
              WHERE c.relnamespace = 'signaldesk'::regnamespace AND c.relkind IN ('r', 'p') LOOP
        EXECUTE format('GRANT INSERT, UPDATE ON signaldesk.%I TO signaldesk_operator', t.relname);
    END LOOP;
    FOR t IN SELECT r.*, c.oid AS relid
               FROM signaldesk.reference_tables r
               JOIN pg_class c ON c.relname = r.name AND c.relnamespace = 'signaldesk'::regnamespace LOOP
        EXECUTE format('REVOKE INSERT, UPDATE ON signaldesk.%I FROM signaldesk_operator', t.name);
        IF t.admin_insert THEN
            EXECUTE format('GRANT INSERT ON signaldesk.%I TO signaldesk_admin', t.name);
        END IF;
        IF t.admin_update IS NULL THEN
            EXECUTE format('GRANT UPDATE ON signaldesk.%I TO signaldesk_admin', t.name);
        ELSIF cardinality(t.admin_update) > 0 THEN
            SELECT string_agg(quote_ident(u), ', ') INTO v_cols FROM unnest(t.admin_update) u;
            EXECUTE format('GRANT UPDATE (%s) ON signaldesk.%I TO signaldesk_admin', v_cols, t.name);
        END IF;
        IF t.admin_delete THEN
            EXECUTE format('GRANT DELETE ON signaldesk.%I TO signaldesk_admin', t.name);
        END IF;
        IF t.audited AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = t.relid AND tgname = 'audit') THEN
            SELECT string_agg(quote_literal(a.attname), ', ' ORDER BY k.n) INTO v_cols
              FROM pg_index i
              CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
              JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
             WHERE i.indrelid = t.relid AND i.indisprimary;
            EXECUTE format('CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON signaldesk.%I'
                           ' FOR EACH ROW EXECUTE FUNCTION signaldesk.audit_reference(%s)',
                           t.name, coalesce(v_cols, ''));
        END IF;
    END LOOP;

    -- the history: written, never changed; admin_events only by the database
    REVOKE UPDATE ON signaldesk.signal_events FROM signaldesk_operator;
    REVOKE INSERT, UPDATE, SELECT ON signaldesk.admin_events FROM signaldesk_operator;
    GRANT SELECT ON signaldesk.admin_events TO signaldesk_supervisor;

    -- signals: the id, the registration number and the time it came in stay
    -- as the database gave them
    REVOKE UPDATE ON signaldesk.signals FROM signaldesk_operator;
    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO v_cols
      FROM pg_attribute
     WHERE attrelid = 'signaldesk.signals'::regclass AND attnum > 0 AND NOT attisdropped
       AND attgenerated = '' AND attname NOT IN ('id', 'reg_no', 'created_at');
    EXECUTE format('GRANT UPDATE (%s) ON signaldesk.signals TO signaldesk_operator', v_cols);

    -- contact details: operators read every other column; supervisors all
    FOR t IN SELECT DISTINCT p.table_name, c.oid AS relid
               FROM signaldesk.private_columns p
               JOIN pg_class c ON c.relname = p.table_name AND c.relnamespace = 'signaldesk'::regnamespace LOOP
        EXECUTE format('REVOKE SELECT ON signaldesk.%I FROM signaldesk_operator', t.table_name);
        SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO v_cols
          FROM pg_attribute a
         WHERE a.attrelid = t.relid AND a.attnum > 0 AND NOT a.attisdropped
           AND a.attname NOT IN (SELECT column_name FROM signaldesk.private_columns
                                  WHERE table_name = t.table_name);
        EXECUTE format('GRANT SELECT (%s) ON signaldesk.%I TO signaldesk_operator', v_cols, t.table_name);
        EXECUTE format('GRANT SELECT ON signaldesk.%I TO signaldesk_supervisor', t.table_name);
    END LOOP;

    -- sequences: every insert takes a number
    EXECUTE 'REVOKE ALL ON ALL SEQUENCES IN SCHEMA signaldesk FROM PUBLIC, ' || v_groups;
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA signaldesk TO signaldesk_operator;

    -- functions: everyone calls them, except those for admins and the owner
    EXECUTE 'REVOKE ALL ON ALL FUNCTIONS IN SCHEMA signaldesk FROM PUBLIC, ' || v_groups;
    GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA signaldesk TO signaldesk_operator;
    FOR f IN SELECT p.oid::regprocedure AS sig, p.prorettype = 'trigger'::regtype AS is_trigger,
                    p.prosecdef, r.rule
               FROM pg_proc p LEFT JOIN signaldesk.function_rules r ON r.name = p.proname
              WHERE p.pronamespace = 'signaldesk'::regnamespace AND p.prokind = 'f' LOOP
        IF f.rule IN ('admin', 'owner') THEN
            EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM signaldesk_operator', f.sig);
        END IF;
        IF f.rule = 'admin' THEN
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO signaldesk_admin', f.sig);
        ELSIF f.rule = 'public' THEN
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO PUBLIC', f.sig);
        END IF;
        -- Triggers keep derived data (search columns, report summaries) and
        -- check rules: they run with the owner's rights, so the tables they
        -- maintain need not be writable by people.
        IF NOT f.prosecdef AND ((f.is_trigger AND f.rule IS DISTINCT FROM 'invoker') OR f.rule = 'definer') THEN
            EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER SET search_path = signaldesk, public, pg_temp',
                           f.sig);
        END IF;
    END LOOP;

    -- What later migrations create is readable and callable at once, and
    -- gets the rest when apply_privileges() runs again after them.
    ALTER DEFAULT PRIVILEGES IN SCHEMA signaldesk GRANT SELECT ON TABLES TO signaldesk_operator;
    ALTER DEFAULT PRIVILEGES IN SCHEMA signaldesk GRANT USAGE, SELECT ON SEQUENCES TO signaldesk_operator;
    ALTER DEFAULT PRIVILEGES IN SCHEMA signaldesk GRANT EXECUTE ON FUNCTIONS TO signaldesk_operator;
    ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

    -- Row-level security where rows belong to one person.
    FOR t IN SELECT p.*, c.oid AS relid
               FROM signaldesk.personal_tables p
               JOIN pg_class c ON c.relname = p.table_name AND c.relnamespace = 'signaldesk'::regnamespace LOOP
        EXECUTE format('ALTER TABLE signaldesk.%I ENABLE ROW LEVEL SECURITY', t.table_name);
        IF NOT EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = t.relid AND polname = 'own_rows') THEN
            EXECUTE format('CREATE POLICY own_rows ON signaldesk.%I USING (%I = current_user)'
                           ' WITH CHECK (%I = current_user)', t.table_name, t.login_column, t.login_column);
        END IF;
        EXECUTE format('GRANT DELETE ON signaldesk.%I TO signaldesk_operator', t.table_name);
    END LOOP;
END $$;

SELECT apply_privileges();
