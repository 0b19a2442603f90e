/*
 * i18n.h - message translation.
 *
 * Every user-facing string goes through _() so that zh_CN users read
 * Chinese once the catalogue covers it; N_() marks strings kept in tables
 * and translated where they are printed.
 */
#ifndef ZG_I18N_H
#define ZG_I18N_H

#ifdef ZG_ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#define P_(s, p, n) ngettext(s, p, n)
#else
#define _(s) (s)
#define P_(s, p, n) ((n) == 1 ? (s) : (p))
#endif
#define N_(s) (s)

/*
 * Sets the locale from the environment and binds the "zg" text domain,
 * preferring the build tree's catalogue when ZG_LOCALEDIR is set (tests).
 */
void zg_i18n_init(void);

#endif
