/*
 * zg-init - create a new zg project: zg.yaml, ledgers, evidence/, private/.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "zg/i18n.h"
#include "zg/init.h"

static void usage(void)
{
	printf(_("Usage: %s [DIR] [OPTION]...\n"
		 "Create a zg project in DIR (default: the current folder): zg.yaml, one\n"
		 "ledger per responsible unit under ledgers/, evidence/ for the proof, and\n"
		 "private/ (mode 0700, git-ignored) for citizens' contact details.\n"
		 "An existing project is never written over.\n"
		 "\n"
		 "  -C DIR                 run as if started in DIR\n"
		 "      --county NAME      the county (default: 鹿寨县)\n"
		 "      --deadline KEY=DATE set a deadline; KEY is submit, publicise,\n"
		 "                         complete or self_review (defaults: the 2018\n"
		 "                         round's 2018-07-06, 07-11, 11-20, 11-30);\n"
		 "                         may be repeated\n"
		 "      --evaluation-year YYYY  the evaluation the suggestions came\n"
		 "                         from (default: 2017)\n"
		 "      --example luzhai   the 13 units of the 2018 Luzhai work plan\n"
		 "      --git              also make it a git repository whose pre-commit\n"
		 "                         hook runs zg-check\n"
		 "  -h, --help             show this help and exit\n"
		 "      --office NAME      the evaluation office (default: 鹿寨县绩效考评委员会办公室)\n"
		 "      --units FILE       the units from a CSV file of code,name,kind rows\n"
		 "                         (kind: bureau, town, township, or 局, 镇, 乡)\n"
		 "      --version          show the version and exit\n"
		 "\n"
		 "Exit status: 0 created, 2 usage error, or the project could not be\n"
		 "created (an existing project, a folder that cannot be written).\n"
		 "\n"
		 "Examples:\n"
		 "  zg-init county-2018 --example luzhai --git\n"
		 "  zg-init --county 某某县 --evaluation-year 2018 --units units.csv \\\n"
		 "          --deadline submit=2019-07-05 --deadline complete=2019-11-20\n"),
	       zg_cli_program);
}

enum {
	OPT_COUNTY = 256,
	OPT_DEADLINE,
	OPT_EVALUATION_YEAR,
	OPT_EXAMPLE,
	OPT_GIT,
	OPT_OFFICE,
	OPT_UNITS,
	OPT_VERSION,
};

static int set_deadline(struct zg_init_options *o, const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct zg_date d;
	if (!eq)
		return zg_cli_usage_error(
			_("--deadline '%s' is not KEY=YYYY-MM-DD"), arg);
	if (!zg_date_parse_arg(eq + 1, &d))
		return zg_cli_usage_error(
			_("--deadline '%s': '%s' is not a date that exists (YYYY-MM-DD)"),
			arg, eq + 1);
	size_t n = (size_t)(eq - arg);
	if (n == 6 && strncmp(arg, "submit", n) == 0)
		o->submit = d;
	else if (n == 9 && strncmp(arg, "publicise", n) == 0)
		o->publicise = d;
	else if (n == 8 && strncmp(arg, "complete", n) == 0)
		o->complete = d;
	else if ((n == 11 && strncmp(arg, "self_review", n) == 0) ||
		 (n == 11 && strncmp(arg, "self-review", n) == 0))
		o->self_review = d;
	else
		return zg_cli_usage_error(
			_("--deadline '%.*s' is not submit, publicise, complete or self_review"),
			(int)n, arg);
	return 0;
}

int main(int argc, char **argv)
{
	zg_cli_init("zg-init");
	static const struct option longopts[] = {
		{ "county", required_argument, NULL, OPT_COUNTY },
		{ "deadline", required_argument, NULL, OPT_DEADLINE },
		{ "evaluation-year", required_argument, NULL, OPT_EVALUATION_YEAR },
		{ "example", required_argument, NULL, OPT_EXAMPLE },
		{ "git", no_argument, NULL, OPT_GIT },
		{ "help", no_argument, NULL, 'h' },
		{ "office", required_argument, NULL, OPT_OFFICE },
		{ "units", required_argument, NULL, OPT_UNITS },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	struct zg_init_options o;
	zg_init_defaults(&o);
	const char *chdir_to = NULL, *units_file = NULL, *example = NULL;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":C:h", longopts, NULL)) != -1) {
		char *end;
		long year;
		switch (c) {
		case 'C':
			chdir_to = optarg;
			break;
		case 'h':
			usage();
			return zg_cli_finish(ZG_EXIT_OK);
		case OPT_VERSION:
			zg_cli_version();
			return zg_cli_finish(ZG_EXIT_OK);
		case OPT_COUNTY:
			o.county = optarg;
			break;
		case OPT_OFFICE:
			o.office = optarg;
			break;
		case OPT_EVALUATION_YEAR:
			year = strtol(optarg, &end, 10);
			if (!*optarg || *end || year < 2000 || year > 2100)
				return zg_cli_usage_error(
					_("--evaluation-year '%s' is not a year (2000 to 2100)"),
					optarg);
			o.evaluation_year = (int)year;
			break;
		case OPT_DEADLINE:
			if (set_deadline(&o, optarg))
				return ZG_EXIT_USAGE;
			break;
		case OPT_EXAMPLE:
			if (strcmp(optarg, "luzhai") != 0)
				return zg_cli_usage_error(
					_("--example '%s' is unknown; the example is luzhai"),
					optarg);
			example = optarg;
			break;
		case OPT_GIT:
			o.git = true;
			break;
		case OPT_UNITS:
			units_file = optarg;
			break;
		case ':':
			return zg_cli_usage_error(_("option '%s' needs a value"),
						  argv[optind - 1]);
		default:
			return zg_cli_usage_error(_("unknown option '%s'"),
						  argv[optind - 1]);
		}
	}
	if (optind < argc)
		o.dir = argv[optind++];
	if (optind < argc)
		return zg_cli_usage_error(_("unexpected argument '%s'"),
					  argv[optind]);
	if (example && units_file)
		return zg_cli_usage_error("%s",
			_("--example and --units cannot be used together"));
	if (!o.county[0] || !o.office[0])
		return zg_cli_usage_error("%s",
			_("--county and --office cannot be empty"));
	if (chdir_to && chdir(chdir_to) != 0) {
		zg_cli_error(_("cannot change to '%s': %s"), chdir_to,
			     strerror(errno));
		return ZG_EXIT_USAGE;
	}

	struct zg_error err = { { 0 } };
	struct zg_unit_spec *units = NULL;
	size_t nunits = 0;
	if (units_file) {
		struct zg_diags diags;
		zg_diags_init(&diags);
		int rc = zg_init_read_units(units_file, &units, &nunits, &diags,
					    &err);
		bool bad = rc != 0 || diags.errors > 0;
		zg_cli_print_diags(stderr, &diags);
		zg_diags_release(&diags);
		if (bad) {
			if (rc != 0)
				zg_cli_error("%s", err.message);
			else
				zg_cli_error(_("%s has bad rows; nothing was created"),
					     units_file);
			zg_init_units_free(units, nunits);
			return ZG_EXIT_USAGE;
		}
		o.units = units;
		o.nunits = nunits;
	} else if (example) {
		o.units = zg_luzhai_units;
		o.nunits = zg_luzhai_nunits;
	}

	int status = ZG_EXIT_OK;
	if (zg_init_create(&o, &err) != 0) {
		zg_cli_error("%s", err.message);
		status = ZG_EXIT_USAGE;
	} else {
		printf(P_("created a zg project in %s with %zu unit and its ledger",
			  "created a zg project in %s with %zu units and their ledgers",
			  o.nunits),
		       o.dir, o.nunits);
		printf("%s\n", o.git ? _(", in a git repository with a pre-commit hook") : "");
		printf("%s", _("next: add the units' items with zg-add item, then run zg-check\n"));
	}
	zg_init_units_free(units, nunits);
	return zg_cli_finish(status);
}
