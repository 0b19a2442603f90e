/*
 * i18n.c - locale and message catalogue set-up for the commands.
 */
#include "zg/i18n.h"

#include <locale.h>
#include <stdlib.h>

#ifndef ZG_LOCALEDIR
#define ZG_LOCALEDIR "/usr/local/share/locale"
#endif

void zg_i18n_init(void)
{
	setlocale(LC_ALL, "");
#ifdef ZG_ENABLE_NLS
	const char *dir = getenv("ZG_LOCALEDIR");
	bindtextdomain("zg", dir && *dir ? dir : ZG_LOCALEDIR);
	bind_textdomain_codeset("zg", "UTF-8");
	textdomain("zg");
#endif
}
