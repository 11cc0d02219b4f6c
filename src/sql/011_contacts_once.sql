-- 011: who may read reporters' contacts is decided once per statement, not
-- once per reporter.  reporter_contacts called may_read_contacts() for every
-- row, which PostgreSQL cannot inline (about 0.2 ms a call: an export of a
-- million signals spent 212 s there).  The rule is the same as in
-- may_read_contacts(): supervisors and admins, everyone when the setting
-- contacts_outside_unit is on, else the person's own unit.
SET LOCAL search_path = signaldesk, public;

CREATE OR REPLACE VIEW reporter_contacts WITH (security_barrier) AS
SELECT r.id, r.signal_id, r.name,
       CASE WHEN v.ok THEN r.phone ELSE '' END AS phone,
       CASE WHEN v.ok THEN r.email ELSE '' END AS email,
       r.wants_updates, r.created_at, v.ok AS contacts_shown,
       (r.phone <> '' OR r.email <> '') AS has_contacts
  FROM signaldesk.reporters r
  JOIN signaldesk.signals s ON s.id = r.signal_id
  CROSS JOIN (SELECT pg_has_role(signaldesk.acting_login(), 'signaldesk_supervisor', 'MEMBER')
                     OR coalesce((SELECT value = 'yes' FROM signaldesk.settings
                                   WHERE key = 'contacts_outside_unit'), false) AS all_units,
                     (SELECT o.unit_id FROM signaldesk.operators o
                       WHERE o.login = signaldesk.acting_login() AND o.active) AS unit_id) me
  CROSS JOIN LATERAL (SELECT me.all_units OR coalesce(s.unit_id = me.unit_id, false) AS ok) v;
