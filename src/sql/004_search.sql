-- 004: search and sorting.  A folded Latin copy of each signal's text with
-- its own trigram index (a query in Latin finds Cyrillic and back), the
-- reporters' names kept beside the text they belong to, an index for every
-- column a queue can be sorted by, and the queues people save.
SET LOCAL search_path = signaldesk, public;
-- On a large table this takes minutes, not the seconds a console statement may.
SET LOCAL statement_timeout = 0;
SET LOCAL maintenance_work_mem = '256MB';

-- The search fold of src/translit.c's translit_fold(), in SQL: lower case,
-- then the official Streamlined System (ж zh, ц ts, ч ch, ш sh, щ sht,
-- ъ a, ь y, ю yu, я ya, "ия" ending a word ia, България bulgaria).
-- A database test checks the two agree.
CREATE FUNCTION sd_latin(p text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT translate(
        replace(replace(replace(replace(replace(replace(replace(replace(replace(
            regexp_replace(
                regexp_replace(
                    translate(p,
                        'ABCDEFGHIJKLMNOPQRSTUVWXYZАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯЀЁЂЃЄЅІЇЈЉЊЋЌЍЎЏ',
                        'abcdefghijklmnopqrstuvwxyzабвгдежзийклмнопрстуфхцчшщъыьэюяѐёђѓєѕіїјљњћќѝўџ'),
                    '(?<![A-Za-z\u0400-\u0481\u048A-\u04FF\u0300-\u036F])българия(?![A-Za-z\u0400-\u0481\u048A-\u04FF\u0300-\u036F])',
                    'bulgaria', 'g'),
                'ия(?![A-Za-z\u0400-\u0481\u048A-\u04FF\u0300-\u036F])', 'ia', 'g'),
            'щ', 'sht'), 'ж', 'zh'), 'ц', 'ts'), 'ч', 'ch'), 'ш', 'sh'), 'ю', 'yu'), 'я', 'ya'),
            'ё', 'yo'), 'х', 'h'),
        'абвгдезийклмнопрстуфъьыэѐѝ',
        'abvgdeziyklmnoprstufayyeei')
$$;

-- The workflow order of the statuses, for sorting by status.
CREATE FUNCTION sd_status_rank(p text) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE p WHEN 'new' THEN 1 WHEN 'registered' THEN 2 WHEN 'assigned' THEN 3
                  WHEN 'in_progress' THEN 4 WHEN 'waiting' THEN 5 WHEN 'resolved' THEN 6
                  WHEN 'closed' THEN 7 WHEN 'rejected' THEN 8 WHEN 'duplicate' THEN 9 ELSE 10 END
$$;

-- The reporters' names, phones and e-mails, beside the signal, so one
-- index finds a signal by its reporter too.  Kept by the triggers below.
ALTER TABLE signals ADD COLUMN reporters_text text NOT NULL DEFAULT '';
UPDATE signals s SET reporters_text = r.t
  FROM (SELECT signal_id, string_agg(concat_ws(' ', name, phone, email), ' ' ORDER BY id) AS t
          FROM reporters GROUP BY signal_id) r
 WHERE r.signal_id = s.id;

CREATE FUNCTION reporters_to_signals() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE signaldesk.signals s
           SET reporters_text = coalesce((SELECT string_agg(concat_ws(' ', r.name, r.phone, r.email), ' ' ORDER BY r.id)
                                            FROM signaldesk.reporters r WHERE r.signal_id = s.id), '')
         WHERE s.id IN (SELECT signal_id FROM new_rows);
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE signaldesk.signals s
           SET reporters_text = coalesce((SELECT string_agg(concat_ws(' ', r.name, r.phone, r.email), ' ' ORDER BY r.id)
                                            FROM signaldesk.reporters r WHERE r.signal_id = s.id), '')
         WHERE s.id IN (SELECT signal_id FROM new_rows UNION SELECT signal_id FROM old_rows);
    ELSE
        UPDATE signaldesk.signals s
           SET reporters_text = coalesce((SELECT string_agg(concat_ws(' ', r.name, r.phone, r.email), ' ' ORDER BY r.id)
                                            FROM signaldesk.reporters r WHERE r.signal_id = s.id), '')
         WHERE s.id IN (SELECT signal_id FROM old_rows);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER reporters_search_insert AFTER INSERT ON reporters
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reporters_to_signals();
CREATE TRIGGER reporters_search_update AFTER UPDATE ON reporters
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION reporters_to_signals();
CREATE TRIGGER reporters_search_delete AFTER DELETE ON reporters
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reporters_to_signals();

-- What free words and phrases are matched against: the registration number,
-- the description, the address and the reporters, folded to Latin.
ALTER TABLE signals ADD COLUMN search_latin text
    GENERATED ALWAYS AS (sd_latin(reg_no || ' ' || description || ' ' || address || ' ' || reporters_text)) STORED;
CREATE INDEX signals_search_latin_idx ON signals USING gin (search_latin gin_trgm_ops);
-- A detailed histogram lets the planner tell a common word (walk the sort
-- index, stop after a page) from a rare one (the trigram index): with the
-- default the guess is off a hundredfold and a common word takes 500 ms.
ALTER TABLE signals ALTER COLUMN search_latin SET STATISTICS 2000;

-- Sorting: one (key, id) index per sortable column, so every page of every
-- order is a keyset range scan.  created_at has its own since 001.
CREATE INDEX signals_reg_sort_idx      ON signals (reg_no, id);
CREATE INDEX signals_updated_idx       ON signals (updated_at, id);
CREATE INDEX signals_due_sort_idx      ON signals ((coalesce(due_at, 'infinity'::timestamptz)), id);
CREATE INDEX signals_status_sort_idx   ON signals ((sd_status_rank(status)), id);
CREATE INDEX signals_priority_idx      ON signals (priority, id);
CREATE INDEX signals_category_sort_idx ON signals ((coalesce(category_id, 0)), id);
CREATE INDEX signals_district_sort_idx ON signals ((coalesce(district_id, 0)), id);
CREATE INDEX signals_unit_sort_idx     ON signals ((coalesce(unit_id, 0)), id);
CREATE INDEX signals_assignee_sort_idx ON signals ((coalesce(assignee, '')), id);
CREATE INDEX signals_channel_idx       ON signals (channel, id);
CREATE INDEX signals_address_sort_idx  ON signals (address, id);
CREATE INDEX signals_description_sort_idx ON signals ((left(description, 60)), id);
-- Open signals sorted by what the working queues sort by most.
CREATE INDEX signals_open_updated_idx ON signals (updated_at, id)
    WHERE status IN ('new', 'registered', 'assigned', 'in_progress', 'waiting');
CREATE INDEX signals_open_priority_idx ON signals (priority, id)
    WHERE status IN ('new', 'registered', 'assigned', 'in_progress', 'waiting');

-- Searches people saved as queues of their own.
CREATE TABLE saved_queues (
    id          serial PRIMARY KEY,
    login       text NOT NULL DEFAULT current_user,
    name        text NOT NULL CHECK (btrim(name) <> ''),
    query       text NOT NULL,
    sort        text NOT NULL DEFAULT '',
    columns     text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (login, name)
);

ANALYZE signals;
