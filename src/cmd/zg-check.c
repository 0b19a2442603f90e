/*
 * zg-check - check a project's ledgers against the format and the rules.
 *
 * Parses options, loads the project through libzg, filters and sorts the
 * findings, prints them, and maps the result to an exit status.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "zg/check.h"
#include "zg/date.h"
#include "zg/diag.h"
#include "zg/history.h"
#include "zg/i18n.h"
#include "zg/project.h"
#include "zg/rules.h"

enum { MAX_LIST = 64 };

struct options {
	const char *dir;
	struct zg_date as_of;
	const char *units[MAX_LIST];
	size_t nunits;
	const char *rules[MAX_LIST];
	size_t nrules;
	const char *skips[MAX_LIST];
	size_t nskips;
	const char *against;
	bool overdue, strict, csv;
	long due_within;
	unsigned jobs;
};

static void usage(void)
{
	printf(_("Usage: %s [OPTION]...\n"
		 "Check the ledgers of a zg project against the ledger format and the\n"
		 "rules of the rectification work, and print every finding.\n"
		 "\n"
		 "  -C DIR             use the project in DIR (default: $ZG_DIR, else the\n"
		 "                     nearest folder upwards that holds zg.yaml)\n"
		 "      --against REV  also check that nothing of git revision REV was\n"
		 "                     edited or removed: items, progress entries, and\n"
		 "                     plans submitted then (rule history)\n"
		 "      --as-of DATE   judge deadlines as of DATE: YYYY-MM-DD or today\n"
		 "                     (default: today)\n"
		 "      --due-within N also warn of plans and steps due within N days\n"
		 "      --format FMT   text (default) or csv\n"
		 "  -h, --help         show this help and exit\n"
		 "  -j, --jobs N       check N ledgers at a time (default: one per processor)\n"
		 "      --overdue      keep only the time rules (overdue, overdue/step,\n"
		 "                     due-soon, deadline/*): for cron\n"
		 "      --rule RULE    keep only findings of RULE, or of every rule under\n"
		 "                     a prefix such as five-haves; may be repeated\n"
		 "      --skip RULE    leave out findings of RULE or of a prefix; may be\n"
		 "                     repeated (the pre-commit hook skips the time rules)\n"
		 "      --strict       exit 1 on warnings too\n"
		 "      --unit CODE    check only the ledger of unit CODE; may be repeated\n"
		 "      --version      show the version and exit\n"
		 "\n"
		 "Each finding is one line, sorted by file and line, that editors and grep read:\n"
		 "  FILE:LINE:COL: error|warning: MESSAGE [RULE] (ITEM)\n"
		 "csv has the header file,line,column,severity,rule,item,message.\n"
		 "When nothing is found and the output is not a terminal, nothing is printed.\n"
		 "A file that cannot be read or parsed is always reported, whatever the filters.\n"
		 "\n"
		 "Exit status: 0 nothing found, 1 findings (errors; with --strict also\n"
		 "warnings), 2 usage error or a project that cannot be read.\n"
		 "\n"
		 "Examples:\n"
		 "  zg-check                              check the project you are in\n"
		 "  zg-check -C examples/luzhai --as-of 2018-10-15\n"
		 "  zg-check --unit zjj --rule five-haves the five haves of one unit\n"
		 "  zg-check --overdue                    in cron: mails only what is late\n"
		 "  zg-check --format csv > findings.csv\n"),
	       zg_cli_program);
}

enum {
	OPT_AGAINST = 256,
	OPT_AS_OF,
	OPT_SKIP,
	OPT_DUE_WITHIN,
	OPT_FORMAT,
	OPT_OVERDUE,
	OPT_RULE,
	OPT_STRICT,
	OPT_UNIT,
	OPT_VERSION,
};

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "against", required_argument, NULL, OPT_AGAINST },
		{ "as-of", required_argument, NULL, OPT_AS_OF },
		{ "due-within", required_argument, NULL, OPT_DUE_WITHIN },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "help", no_argument, NULL, 'h' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "overdue", no_argument, NULL, OPT_OVERDUE },
		{ "rule", required_argument, NULL, OPT_RULE },
		{ "skip", required_argument, NULL, OPT_SKIP },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "unit", required_argument, NULL, OPT_UNIT },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	o->as_of = zg_date_today();
	o->due_within = -1;
	o->jobs = zg_check_default_jobs();
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":C:hj:", longopts, NULL)) != -1) {
		char *end;
		long jobs;
		switch (c) {
		case 'j':
			jobs = strtol(optarg, &end, 10);
			if (!*optarg || *end || jobs < 1 || jobs > 256)
				return zg_cli_usage_error(
					_("--jobs '%s' is not a number from 1 to 256"),
					optarg);
			o->jobs = (unsigned)jobs;
			break;
		case 'C':
			o->dir = optarg;
			break;
		case 'h':
			usage();
			return -1;
		case OPT_VERSION:
			zg_cli_version();
			return -1;
		case OPT_AS_OF:
			if (!zg_date_parse_arg(optarg, &o->as_of))
				return zg_cli_usage_error(
					_("--as-of '%s' is not a date (YYYY-MM-DD or today)"),
					optarg);
			break;
		case OPT_DUE_WITHIN:
			o->due_within = strtol(optarg, &end, 10);
			if (!*optarg || *end || o->due_within < 0 ||
			    o->due_within > 3660)
				return zg_cli_usage_error(
					_("--due-within '%s' is not a number of days (0 to 3660)"),
					optarg);
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "csv") == 0)
				o->csv = true;
			else if (strcmp(optarg, "text") != 0)
				return zg_cli_usage_error(
					_("--format '%s' is not text or csv"),
					optarg);
			break;
		case OPT_OVERDUE:
			o->overdue = true;
			break;
		case OPT_RULE:
			if (!zg_rule_pattern_known(optarg))
				return zg_cli_usage_error(
					_("--rule '%s' names no rule; see docs/rules.md for the list"),
					optarg);
			if (o->nrules == MAX_LIST)
				return zg_cli_usage_error(_("too many --rule options"));
			o->rules[o->nrules++] = optarg;
			break;
		case OPT_STRICT:
			o->strict = true;
			break;
		case OPT_SKIP:
			if (!zg_rule_pattern_known(optarg))
				return zg_cli_usage_error(
					_("--skip '%s' names no rule; see docs/rules.md for the list"),
					optarg);
			if (o->nskips == MAX_LIST)
				return zg_cli_usage_error(_("too many --skip options"));
			o->skips[o->nskips++] = optarg;
			break;
		case OPT_AGAINST:
			o->against = optarg;
			break;
		case OPT_UNIT:
			if (o->nunits == MAX_LIST)
				return zg_cli_usage_error(_("too many --unit options"));
			o->units[o->nunits++] = optarg;
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
		return zg_cli_usage_error(_("unexpected argument '%s'"),
					  argv[optind]);
	return 0;
}

/*
 * A file that cannot be read or parsed was not checked at all, so its
 * finding survives every filter: a cron job must hear of it.
 */
static bool is_incomplete(const struct zg_diag *g)
{
	return strcmp(g->rule, ZG_RULE_IO) == 0 ||
	       strcmp(g->rule, ZG_RULE_SYNTAX) == 0 ||
	       strcmp(g->rule, ZG_RULE_ENCODING) == 0;
}

static bool keep_finding(const struct zg_diag *g, void *ctx)
{
	const struct options *o = ctx;
	if (is_incomplete(g))
		return true;
	if (o->overdue && !zg_rule_is_time(g->rule))
		return false;
	for (size_t i = 0; i < o->nskips; i++)
		if (zg_rule_matches(o->skips[i], g->rule))
			return false;
	if (o->nrules == 0)
		return true;
	for (size_t i = 0; i < o->nrules; i++)
		if (zg_rule_matches(o->rules[i], g->rule))
			return true;
	return false;
}

/* The filter, asked ahead: a rule nobody will see is not run. */
static bool rule_wanted(const char *rule, void *ctx)
{
	struct zg_diag probe = { .rule = rule };
	return keep_finding(&probe, ctx);
}

/* What the run has printed so far, for csv's header and the summary. */
struct printer {
	const struct options *o;
	size_t printed, errors, warnings;
	bool header, io_error;
};

static void print_list(struct printer *pr, const struct zg_diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct zg_diag *g = &d->v[i];
		if (!keep_finding(g, (void *)pr->o))
			continue;
		if (strcmp(g->rule, ZG_RULE_IO) == 0)
			pr->io_error = true;
		if (g->severity == ZG_ERROR)
			pr->errors++;
		else
			pr->warnings++;
		pr->printed++;
		if (pr->o->csv) {
			if (!pr->header) {
				zg_diags_write_csv_header(stdout);
				pr->header = true;
			}
			zg_diag_write_csv(stdout, g);
		} else {
			zg_diag_print(stdout, g);
		}
	}
}

static void print_ledger(const struct zg_diags *d, void *ctx)
{
	print_list(ctx, d);
}

int main(int argc, char **argv)
{
	zg_cli_init("zg-check");
	struct options o = { 0 };
	int rc = parse_options(argc, argv, &o);
	if (rc)
		return rc < 0 ? zg_cli_finish(ZG_EXIT_OK) : rc;

	struct zg_error err = { { 0 } };
	struct zg_diags diags;
	struct zg_project project;
	zg_diags_init(&diags);
	memset(&project, 0, sizeof project);
	char *root = NULL;
	int status = ZG_EXIT_USAGE;
	if (zg_project_locate(o.dir, &root, &err) != 0)
		goto fail;
	if (zg_project_open(&project, root, &diags, &err) != 0)
		goto fail;
	struct printer pr = { .o = &o };
	struct zg_history history;
	bool has_history = false;
	if (o.against) {
		if (zg_history_open(&project, o.against, &history, &err) != 0)
			goto fail;
		has_history = true;
	}
	struct zg_check_options check = {
		o.as_of, o.due_within, has_history ? &history : NULL,
		rule_wanted, &o,
	};
	struct zg_check_stats stats;
	/* zg.yaml's own findings sort after every ledgers/ path. */
	struct zg_diags later;
	zg_diags_init(&later);
	int run = zg_check_run(&project, o.units, o.nunits, &check, o.jobs,
			       print_ledger, &pr, &later, &stats, &err);
	if (has_history)
		zg_history_release(&history);
	if (run != 0) {
		zg_diags_release(&later);
		goto fail;
	}
	zg_diags_append(&diags, &later);
	zg_diags_release(&later);
	zg_diags_sort(&diags);
	print_list(&pr, &diags);
	if (o.csv && !pr.header && isatty(STDOUT_FILENO))
		zg_diags_write_csv_header(stdout);
	if (pr.printed || isatty(STDOUT_FILENO)) {
		fflush(stdout);
		fprintf(stderr, "%s: ", zg_cli_program);
		fprintf(stderr, P_("%zu ledger", "%zu ledgers", stats.ledgers),
			stats.ledgers);
		fprintf(stderr, P_(", %zu item: ", ", %zu items: ", stats.items),
			stats.items);
		fprintf(stderr, P_("%zu error", "%zu errors", pr.errors),
			pr.errors);
		fprintf(stderr, P_(", %zu warning\n", ", %zu warnings\n",
				   pr.warnings),
			pr.warnings);
	}
	if (pr.io_error)
		status = ZG_EXIT_USAGE;
	else if (pr.errors || (o.strict && pr.warnings))
		status = ZG_EXIT_FINDINGS;
	else
		status = ZG_EXIT_OK;
	goto done;
fail:
	zg_diags_sort(&diags);
	{
		struct printer fail_pr = { .o = &o };
		print_list(&fail_pr, &diags);
	}
	zg_cli_error("%s", err.message);
done:
	free(root);
	zg_project_release(&project);
	zg_diags_release(&diags);
	return zg_cli_finish(status);
}
