-- 001: the core tables of signaldesk.
-- Applied once by `signaldesk db init|migrate` inside one transaction.

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE SCHEMA IF NOT EXISTS signaldesk;
SET LOCAL search_path = signaldesk, public;

CREATE TABLE districts (
    id          smallserial PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    name_latin  text NOT NULL,
    lat         double precision NOT NULL,
    lon         double precision NOT NULL,
    radius_km   real NOT NULL DEFAULT 2,
    weight      real NOT NULL DEFAULT 1     -- share of signals (population), for demo data
);

CREATE TABLE units (
    id      serial PRIMARY KEY,
    name    text NOT NULL UNIQUE,
    email   text,
    kind    text NOT NULL DEFAULT 'municipal'
            CHECK (kind IN ('district', 'municipal', 'external')),
    active  boolean NOT NULL DEFAULT true
);

CREATE TABLE categories (
    id              serial PRIMARY KEY,
    parent_id       integer REFERENCES categories,
    name            text NOT NULL,
    name_latin      text NOT NULL,
    default_unit_id integer REFERENCES units,
    sla_hours       integer NOT NULL DEFAULT 168 CHECK (sla_hours > 0),
    weight          real NOT NULL DEFAULT 1,  -- share of signals, for demo data
    active          boolean NOT NULL DEFAULT true
);
CREATE UNIQUE INDEX categories_name_key ON categories (coalesce(parent_id, 0), name);

-- Which unit answers for a category in a district.  A missing row means the
-- category's default unit; a row for the parent category covers its children.
CREATE TABLE routing (
    category_id integer NOT NULL REFERENCES categories,
    district_id smallint NOT NULL REFERENCES districts,
    unit_id     integer NOT NULL REFERENCES units,
    PRIMARY KEY (category_id, district_id)
);

-- One row per person; login is their database role.
CREATE TABLE operators (
    login       text PRIMARY KEY,
    name        text NOT NULL,
    unit_id     integer REFERENCES units,
    level       text NOT NULL DEFAULT 'operator'
                CHECK (level IN ('operator', 'supervisor', 'admin')),
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- The workflow.  The same table lives in src/workflow.c; a test proves they agree.
CREATE TABLE statuses (
    code     text PRIMARY KEY,
    sort     smallint NOT NULL,
    is_open  boolean NOT NULL
);
INSERT INTO statuses (code, sort, is_open) VALUES
    ('new', 1, true), ('registered', 2, true), ('assigned', 3, true),
    ('in_progress', 4, true), ('waiting', 5, true), ('resolved', 6, false),
    ('closed', 7, false), ('rejected', 8, false), ('duplicate', 9, false);

CREATE TABLE status_transitions (
    from_status          text NOT NULL REFERENCES statuses,
    to_status            text NOT NULL REFERENCES statuses,
    needs_public_comment boolean NOT NULL DEFAULT false,
    PRIMARY KEY (from_status, to_status)
);
INSERT INTO status_transitions (from_status, to_status, needs_public_comment) VALUES
    ('new', 'registered', false), ('new', 'assigned', false),
    ('new', 'in_progress', false), ('new', 'rejected', true),
    ('new', 'duplicate', false),
    ('registered', 'assigned', false), ('registered', 'in_progress', false),
    ('registered', 'waiting', false), ('registered', 'rejected', true),
    ('registered', 'duplicate', false),
    ('assigned', 'registered', false), ('assigned', 'in_progress', false),
    ('assigned', 'waiting', false), ('assigned', 'resolved', true),
    ('assigned', 'rejected', true), ('assigned', 'duplicate', false),
    ('in_progress', 'assigned', false), ('in_progress', 'waiting', false),
    ('in_progress', 'resolved', true), ('in_progress', 'rejected', true),
    ('in_progress', 'duplicate', false),
    ('waiting', 'in_progress', false), ('waiting', 'resolved', true),
    ('waiting', 'rejected', true),
    ('resolved', 'closed', false), ('resolved', 'in_progress', true),
    ('closed', 'in_progress', true),
    ('rejected', 'registered', true),
    ('duplicate', 'registered', false);

-- Registration numbers: one counter per year.  The row lock is held only for
-- the inserting transaction, so numbers stay unique under concurrency; a
-- rolled-back insert gives its number back.
CREATE TABLE reg_counters (
    year  integer PRIMARY KEY,
    last  integer NOT NULL
);

CREATE TABLE signals (
    id           bigserial PRIMARY KEY,
    reg_no       text NOT NULL UNIQUE,
    kind         text NOT NULL DEFAULT 'problem' CHECK (kind IN ('problem', 'question')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    channel      text NOT NULL DEFAULT 'phone'
                 CHECK (channel IN ('phone', 'web', 'app', 'email', 'walkin')),
    category_id  integer REFERENCES categories,
    district_id  smallint REFERENCES districts,
    address      text NOT NULL DEFAULT '',
    location     point,                      -- (lon, lat)
    description  text NOT NULL,
    status       text NOT NULL DEFAULT 'new' REFERENCES statuses,
    unit_id      integer REFERENCES units,
    assignee     text REFERENCES operators,
    priority     smallint NOT NULL DEFAULT 1 CHECK (priority BETWEEN 0 AND 3),
    due_at       timestamptz,
    duplicate_of bigint REFERENCES signals,
    version      integer NOT NULL DEFAULT 1,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    resolved_at  timestamptz,
    closed_at    timestamptz
);

-- Queue indexes: (filter columns, sort column, id) so every page is a keyset
-- range scan.  Default order is newest first.
-- Open signals are a small share of the table, so the working queues get
-- partial indexes over them.
CREATE INDEX signals_created_idx  ON signals (created_at, id);
CREATE INDEX signals_status_idx   ON signals (status, created_at, id);
CREATE INDEX signals_open_idx     ON signals (created_at, id)
    WHERE status IN ('new', 'registered', 'assigned', 'in_progress', 'waiting');
CREATE INDEX signals_open_unit_idx ON signals (unit_id, created_at, id)
    WHERE status IN ('new', 'registered', 'assigned', 'in_progress', 'waiting');
CREATE INDEX signals_open_assignee_idx ON signals (assignee, created_at, id)
    WHERE status IN ('new', 'registered', 'assigned', 'in_progress', 'waiting');
CREATE INDEX signals_open_due_idx ON signals (due_at, id)
    WHERE status IN ('new', 'registered', 'assigned', 'in_progress', 'waiting');
CREATE INDEX signals_duplicate_of_idx ON signals (duplicate_of) WHERE duplicate_of IS NOT NULL;

CREATE TABLE reporters (
    id            bigserial PRIMARY KEY,
    signal_id     bigint NOT NULL REFERENCES signals,
    name          text NOT NULL DEFAULT '',
    phone         text NOT NULL DEFAULT '',
    email         text NOT NULL DEFAULT '',
    wants_updates boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reporters_signal_idx ON reporters (signal_id);

-- The history.  Append-only: who and when come from the database.
CREATE TABLE signal_events (
    id         bigserial PRIMARY KEY,
    signal_id  bigint NOT NULL REFERENCES signals,
    at         timestamptz NOT NULL DEFAULT now(),
    actor      text NOT NULL DEFAULT current_user,
    kind       text NOT NULL,
    old_value  text,
    new_value  text,
    comment    text,
    public     boolean NOT NULL DEFAULT false
);
CREATE INDEX signal_events_signal_idx ON signal_events (signal_id, at, id);
CREATE INDEX signal_events_at_idx ON signal_events (at);

CREATE TABLE response_templates (
    id          serial PRIMARY KEY,
    category_id integer REFERENCES categories,
    kind        text NOT NULL DEFAULT 'response' CHECK (kind IN ('response', 'answer')),
    title       text NOT NULL,
    body        text NOT NULL,
    active      boolean NOT NULL DEFAULT true
);

-- Outbox of messages to citizens; an outside mailer (`signaldesk notify`) sends them.
CREATE TABLE notifications (
    id          bigserial PRIMARY KEY,
    signal_id   bigint NOT NULL REFERENCES signals,
    to_addr     text NOT NULL,
    subject     text NOT NULL,
    body        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    sent_at     timestamptz,
    error       text
);
CREATE INDEX notifications_pending_idx ON notifications (id) WHERE status = 'pending';

-- Status changes are checked here as well as in the console: a transition not
-- in status_transitions is refused whoever sends it.
CREATE FUNCTION check_status_transition() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        IF NOT EXISTS (SELECT 1 FROM signaldesk.status_transitions
                        WHERE from_status = OLD.status AND to_status = NEW.status) THEN
            RAISE EXCEPTION 'status % cannot change to %', OLD.status, NEW.status
                USING ERRCODE = 'SD001';
        END IF;
        IF NEW.status = 'resolved' THEN
            NEW.resolved_at := now();
        ELSIF NEW.status IN ('closed', 'rejected', 'duplicate') THEN
            NEW.closed_at := now();
        ELSIF NOT (SELECT is_open FROM signaldesk.statuses WHERE code = OLD.status) THEN
            -- reopened
            NEW.resolved_at := NULL;
            NEW.closed_at := NULL;
        END IF;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER signals_status_transition BEFORE UPDATE OF status ON signals
    FOR EACH ROW EXECUTE FUNCTION check_status_transition();

-- One user action = one call = one transaction: check the version, change the
-- status, write the event, queue the citizen's notification, tell every console.
-- Returns the new version, or NULL when someone else changed the signal first.
CREATE FUNCTION change_status(p_id bigint, p_version integer, p_status text,
                              p_comment text, p_public boolean)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    v_old     text;
    v_version integer;
    v_reg     text;
BEGIN
    SELECT status, reg_no INTO v_old, v_reg FROM signaldesk.signals WHERE id = p_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'signal % does not exist', p_id USING ERRCODE = 'SD004';
    END IF;
    IF EXISTS (SELECT 1 FROM signaldesk.status_transitions
                WHERE from_status = v_old AND to_status = p_status
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
    PERFORM pg_notify('signaldesk', p_id::text);
    RETURN v_version;
END $$;
