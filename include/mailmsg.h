#ifndef SIGNALDESK_MAILMSG_H
#define SIGNALDESK_MAILMSG_H

#include "util.h"

/* Messages to citizens as the system's sendmail reads them (sendmail -t):
 * headers with non-ASCII words encoded (RFC 2047), a UTF-8 plain text body
 * in lines a mail reader shows well.  No curses, no database. */

/* One plain address, nothing a mailer could read as a second recipient or
 * a header: no spaces, commas, angle brackets or line breaks. */
int mail_address_ok(const char *addr);

/* "Name: value" with value encoded as =?UTF-8?B?...?= words when it is not
 * ASCII, folded so no line passes 78 characters; ends with a newline.
 * For an address header, pass the display name and the address apart
 * (addr non-NULL) so only the name is encoded. */
void mail_header(struct strbuf *out, const char *name, const char *value, const char *addr);

/* The whole message.  from may be "" (sendmail's default), or an address
 * with a display name: "Столична община <signali@sofia.example.bg>".
 * Returns 0, or -1 when to or from is not a usable address. */
int mail_build(struct strbuf *out, const char *from, const char *to, const char *subject,
               const char *body, long long id);

#endif
