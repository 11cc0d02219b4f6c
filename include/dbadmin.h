#ifndef SIGNALDESK_DBADMIN_H
#define SIGNALDESK_DBADMIN_H

#include "db.h"

/* Applies the numbered migrations of src/sql/ that the database lacks, each in
 * its own transaction, recording the version.  Safe to run again and from two
 * places at once.  *applied tells how many ran. */
enum db_status db_migrate(struct db *db, int *applied);
/* Applies the roles' privileges to everything the schema holds now (the
 * schema's apply_privileges(), from migration 008 on).  db_migrate runs it
 * after applying migrations; `db init` always. */
enum db_status db_apply_privileges(struct db *db);
/* Sets a rule of the settings table from the INI's [access] section (value
 * NULL: left as it is); *changed when it was different. */
enum db_status db_apply_access(struct db *db, const char *key, const char *value, int *changed);
/* The schema's version (0 when there is no schema). */
enum db_status db_schema_version(struct db *db, int *version);
/* Loads districts, units, categories, routing and templates from the CSV files
 * in dir (one transaction), unless the database has them already (*loaded=0). */
enum db_status db_load_reference(struct db *db, const char *dir, int *loaded);
/* Fills an empty database with `signals` realistic demo signals. */
enum db_status db_demo(struct db *db, long signals, double seed);

/* The directory of the reference data: [database] reference_data, else the
 * source tree's conf/sofia next to the binary, else DATADIR/sofia. */
const char *reference_dir(const char *configured, const char *argv0, char *buf, size_t size);

#endif
