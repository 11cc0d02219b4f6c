#ifndef SIGNALDESK_SQLFILES_H
#define SIGNALDESK_SQLFILES_H

/* The SQL files of src/sql/, compiled in: numbered migrations
 * (NNN_name.sql, applied in order) and scripts such as demo.sql. */
struct sql_file {
    const char *name;
    const char *text;
};

extern const struct sql_file sql_files[];

/* The file called name, or NULL. */
const char *sql_file_text(const char *name);

#endif
