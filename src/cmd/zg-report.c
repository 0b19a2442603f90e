/*
 * zg-report - the office's tables and plan documents from the ledgers.
 *
 * Loads the project, builds the report through libzg, and writes it as
 * CSV or Markdown, or through pandoc as docx, odt, html or pdf.  A file
 * is written through a temporary file and a rename, so a failed run
 * never leaves half a report.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "zg/i18n.h"
#include "zg/project.h"
#include "zg/report.h"
#include "zg/writer.h"

enum { MAX_LIST = 64 };

static void usage(void)
{
	printf(_("Usage: %s [OPTION]... KIND [ID]\n"
		 "Write one of the office's forms from the ledgers.\n"
		 "\n"
		 "KIND:\n"
		 "  measures      建设性意见建议整改措施表, one row per constructive item\n"
		 "  explanations  其它意见建议情况说明表, one row per other item\n"
		 "  completion    建设性意见建议整改完成情况一览表\n"
		 "  progress      整改工作进度表: a row per unit and a total; in Markdown also\n"
		 "                the overdue items with their days overdue\n"
		 "  plan ID       the plan document (整改方案) of one item\n"
		 "\n"
		 "  -C DIR           use the project in DIR (default: $ZG_DIR, else the\n"
		 "                   nearest folder upwards that holds zg.yaml)\n"
		 "      --as-of DATE count overdue items as of DATE (default: today)\n"
		 "      --bom        start CSV with a UTF-8 BOM, for Excel on Chinese Windows\n"
		 "      --format FMT md (default) or csv, when writing to standard output\n"
		 "  -h, --help       show this help and exit\n"
		 "  -o FILE          write FILE; its extension picks the format: .csv, .md,\n"
		 "                   or .docx, .odt, .html, .pdf rendered by pandoc\n"
		 "      --since DATE progress: count progress entries from DATE (default:\n"
		 "                   the 7 days up to --as-of)\n"
		 "      --unit CODE  only the items of unit CODE; may be repeated\n"
		 "      --version    show the version and exit\n"
		 "\n"
		 "Rows follow the unit order of zg.yaml, then the item id. Contact details\n"
		 "never appear: private/ is not read, and a telephone number, ID-card number\n"
		 "or e-mail address found in a ledger is masked (138****1234).\n"
		 "\n"
		 "Exit status: 0 written; 1 written, but a ledger with errors was left out in\n"
		 "part (the errors are on standard error); 2 usage error, an unreadable\n"
		 "project, or no pandoc for the format asked.\n"
		 "\n"
		 "Examples:\n"
		 "  zg-report progress --as-of today -o weekly.docx\n"
		 "  zg-report measures --unit zjj -o 县住建局措施表.csv --bom\n"
		 "  zg-report plan zjj-001 -o zjj-001.docx\n"
		 "  zg-report completion --format csv > completion.csv\n"),
	       zg_cli_program);
}

enum {
	OPT_AS_OF = 256, OPT_BOM, OPT_FORMAT, OPT_SINCE, OPT_UNIT, OPT_VERSION,
};

struct options {
	const char *dir, *output;
	int format;		/* enum zg_format, -1: from -o or md */
	bool bom;
	struct zg_report_options report;
	const char *units[MAX_LIST];
	bool since_given;
};

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "as-of", required_argument, NULL, OPT_AS_OF },
		{ "bom", no_argument, NULL, OPT_BOM },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "help", no_argument, NULL, 'h' },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "unit", required_argument, NULL, OPT_UNIT },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	o->format = -1;
	o->report.as_of = zg_date_today();
	o->report.units = o->units;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":C:ho:", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': o->dir = optarg; break;
		case 'o': o->output = optarg; break;
		case 'h':
			usage();
			return -1;
		case OPT_VERSION:
			zg_cli_version();
			return -1;
		case OPT_AS_OF:
			if (!zg_date_parse_arg(optarg, &o->report.as_of))
				return zg_cli_usage_error(_("--as-of '%s' is not a date (YYYY-MM-DD or today)"), optarg);
			break;
		case OPT_SINCE:
			if (!zg_date_parse_arg(optarg, &o->report.since))
				return zg_cli_usage_error(_("--since '%s' is not a date (YYYY-MM-DD or today)"), optarg);
			o->since_given = true;
			break;
		case OPT_BOM: o->bom = true; break;
		case OPT_FORMAT:
			if (strcmp(optarg, "csv") == 0)
				o->format = ZG_FORMAT_CSV;
			else if (strcmp(optarg, "md") == 0)
				o->format = ZG_FORMAT_MD;
			else
				return zg_cli_usage_error(_("--format '%s' is not csv or md (for docx, odt, html or pdf use -o FILE)"), optarg);
			break;
		case OPT_UNIT:
			if (o->report.nunits == MAX_LIST)
				return zg_cli_usage_error(_("too many --unit options"));
			o->units[o->report.nunits++] = optarg;
			break;
		case ':':
			return zg_cli_usage_error(_("option '%s' needs a value"), argv[optind - 1]);
		default:
			return zg_cli_usage_error(_("unknown option '%s'"), argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return zg_cli_usage_error("%s", _("missing KIND: measures, explanations, completion, progress or plan ID"));
	int kind = zg_report_kind_parse(argv[optind]);
	if (kind < 0)
		return zg_cli_usage_error(_("'%s' is not a report: measures, explanations, completion, progress or plan ID"), argv[optind]);
	o->report.kind = (enum zg_report_kind)kind;
	optind++;
	if (kind == ZG_REPORT_PLAN) {
		if (optind >= argc)
			return zg_cli_usage_error("%s", _("plan needs the item ID, e.g. zg-report plan zjj-001"));
		o->report.id = argv[optind++];
	}
	if (optind < argc)
		return zg_cli_usage_error(_("unexpected argument '%s'"), argv[optind]);
	if (o->output) {
		int f = zg_format_of_path(o->output);
		if (f < 0)
			return zg_cli_usage_error(_("-o '%s': the name must end in .csv, .md, .docx, .odt, .html or .pdf"), o->output);
		if (o->format >= 0 && o->format != f)
			return zg_cli_usage_error(_("--format and the extension of -o '%s' disagree"), o->output);
		o->format = f;
	}
	if (o->format < 0)
		o->format = ZG_FORMAT_MD;
	if (!o->since_given)
		o->report.since = zg_date_add_days(o->report.as_of, -6);
	else if (zg_date_cmp(o->report.since, o->report.as_of) > 0)
		return zg_cli_usage_error("%s", _("--since is after --as-of: the period would be empty"));
	return 0;
}

/* A temporary path beside target, e.g. "dir/.weekly.docx.XXXXXX". */
static char *temp_beside(const char *target, const char *suffix)
{
	const char *slash = strrchr(target, '/');
	size_t n = strlen(target) + strlen(suffix) + 16;
	char *t = malloc(n);
	if (t)
		snprintf(t, n, "%.*s.%s.XXXXXX%s", slash ? (int)(slash - target + 1) : 0,
			 target, slash ? slash + 1 : target, suffix);
	return t;
}

/*
 * Where the report goes while it is written: standard output, or a
 * temporary file beside -o's target (Markdown for pandoc to render),
 * renamed into place only when everything worked.
 */
struct sink {
	const struct options *o;
	FILE *f;
	char *md, *tmp;
	bool pandoc;
	enum zg_format stream;	/* what is written to f: csv or md */
};

static int sink_open(struct sink *k, const struct options *o)
{
	memset(k, 0, sizeof *k);
	k->o = o;
	k->pandoc = o->format != ZG_FORMAT_CSV && o->format != ZG_FORMAT_MD;
	k->stream = k->pandoc ? ZG_FORMAT_MD : (enum zg_format)o->format;
	if (!o->output) {
		k->f = stdout;
		return 0;
	}
	/* pandoc makes a PDF only for an output named *.pdf. */
	const char *suffix = o->format == ZG_FORMAT_PDF ? ".pdf" : "";
	k->tmp = temp_beside(o->output, suffix);
	k->md = k->pandoc ? temp_beside(o->output, ".md") : NULL;
	if (!k->tmp || (k->pandoc && !k->md)) {
		zg_cli_error("%s", _("out of memory"));
		return -1;
	}
	int fd = k->pandoc ? mkstemps(k->md, 3) : mkstemp(k->tmp);
	k->f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!k->f) {
		zg_cli_error(_("cannot write %s: %s"), o->output, strerror(errno));
		if (fd >= 0)
			close(fd);
		if (k->pandoc && fd >= 0)
			unlink(k->md);
		else if (fd >= 0)
			unlink(k->tmp);
		free(k->md);
		free(k->tmp);
		k->md = k->tmp = NULL;
		return -1;
	}
	return 0;
}

/* Finishes the output; on !ok (or any failure) nothing is left behind. */
static int sink_close(struct sink *k, bool ok)
{
	const struct options *o = k->o;
	if (!o->output)
		return ok ? 0 : -1;
	int rc = -1;
	bool closed = fclose(k->f) == 0;
	if (ok && !closed)
		zg_cli_error(_("cannot write %s: %s"), o->output, strerror(errno));
	if (!ok || !closed)
		goto done;
	if (k->pandoc) {
		int tfd = mkstemps(k->tmp, o->format == ZG_FORMAT_PDF ? 4 : 0);
		if (tfd < 0) {
			zg_cli_error(_("cannot write %s: %s"), o->output, strerror(errno));
			goto done;
		}
		close(tfd);
		struct zg_error err = { { 0 } };
		if (zg_pandoc_render(k->md, k->tmp, (enum zg_format)o->format, &err) != 0) {
			zg_cli_error("%s", err.message);
			unlink(k->tmp);
			goto done;
		}
	}
	/* mkstemp makes 0600; a report is for sharing, as the umask allows. */
	mode_t mask = umask(0);
	umask(mask);
	if (chmod(k->tmp, 0666 & ~mask) != 0 || rename(k->tmp, o->output) != 0) {
		zg_cli_error(_("cannot write %s: %s"), o->output, strerror(errno));
		unlink(k->tmp);
		goto done;
	}
	rc = 0;
done:
	if (k->pandoc)
		unlink(k->md);
	else if (rc != 0)
		unlink(k->tmp);
	free(k->md);
	free(k->tmp);
	return rc;
}

static bool is_error(const struct zg_diag *g, void *ctx)
{
	(void)ctx;
	return g->severity == ZG_ERROR;
}

int main(int argc, char **argv)
{
	zg_cli_init("zg-report");
	struct options o;
	memset(&o, 0, sizeof o);
	int rc = parse_options(argc, argv, &o);
	if (rc)
		return rc < 0 ? zg_cli_finish(ZG_EXIT_OK) : rc;

	struct zg_error err = { { 0 } };
	struct zg_diags diags;
	struct zg_project project;
	struct zg_report report;
	zg_diags_init(&diags);
	memset(&project, 0, sizeof project);
	memset(&report, 0, sizeof report);
	char *root = NULL;
	char **codes = NULL;
	size_t ncodes = 0;
	int status = ZG_EXIT_USAGE;
	/* A plan needs only its own unit's ledger. */
	char plan_unit[40];
	const char *plan_units[1] = { plan_unit };
	if (o.report.kind == ZG_REPORT_PLAN && o.report.nunits == 0) {
		const char *dash = strrchr(o.report.id, '-');
		size_t n = dash ? (size_t)(dash - o.report.id) : 0;
		if (!dash || n == 0 || n >= sizeof plan_unit) {
			status = zg_cli_usage_error(_("'%s' is not an item id (unit-NNN, e.g. zjj-001)"), o.report.id);
			goto done;
		}
		memcpy(plan_unit, o.report.id, n);
		plan_unit[n] = '\0';
		o.report.units = plan_units;
		o.report.nunits = 1;
	}
	if (zg_project_locate(o.dir, &root, &err) != 0 ||
	    zg_project_open(&project, root, &diags, &err) != 0 ||
	    zg_project_ledger_codes(&project, o.report.units, o.report.nunits,
				    &codes, &ncodes, &err) != 0) {
		zg_diags_sort(&diags);
		zg_cli_print_diags(stderr, &diags);
		zg_cli_error("%s", err.message);
		goto done;
	}
	if (zg_report_begin(&project, &o.report, &report, &err) != 0) {
		zg_cli_error("%s", err.message);
		goto done;
	}
	struct sink sink;
	if (sink_open(&sink, &o) != 0)
		goto done;
	bool ok = zg_write_begin(sink.f, &report, sink.stream, o.bom) == 0;
	/*
	 * A ledger at a time: its faults go to stderr, its rows to the
	 * output, and it is freed before the next is read.
	 */
	size_t errors = 0, files = 0;
	for (size_t i = 0; i < ncodes && ok; i++) {
		struct zg_ledger l;
		struct zg_diags ld;
		zg_diags_init(&ld);
		int r = zg_ledger_open(&project, codes[i], &l, &ld);
		zg_diags_filter(&ld, is_error, NULL);
		zg_diags_sort(&ld);
		zg_cli_print_diags(stderr, &ld);
		errors += ld.errors;
		files += ld.errors > 0;
		if (r < 0 || (r == 0 && zg_report_add_ledger(&report, &project, &l,
							     &ld, &err) != 0))
			ok = false;
		else if (zg_write_rows(sink.f, &report, sink.stream) != 0)
			ok = false;
		zg_ledger_release(&l);
		zg_diags_release(&ld);
	}
	zg_diags_filter(&diags, is_error, NULL);
	zg_diags_sort(&diags);
	zg_cli_print_diags(stderr, &diags);
	errors += diags.errors;
	files += diags.errors > 0;
	if (ok && zg_report_finish(&report, &project, &err) != 0) {
		zg_cli_error("%s", err.message[0] ? err.message : _("out of memory"));
		sink_close(&sink, false);
		goto done;
	}
	if (ok)
		ok = zg_write_end(sink.f, &report, sink.stream) == 0;
	if (!ok && err.message[0])
		zg_cli_error("%s", err.message);
	else if (!ok && report.spill.error)
		zg_cli_error(_("cannot keep the overdue list in a temporary file while the table is written (TMPDIR=%s): %s"),
			     getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
			     strerror(report.spill.error));
	if (sink_close(&sink, ok) != 0 || !ok)
		goto done;
	status = errors ? ZG_EXIT_FINDINGS : ZG_EXIT_OK;
	if (errors) {
		zg_cli_error(P_("the report is incomplete: %zu file has errors (above), and the items they touch are left out; fix them and run it again",
				"the report is incomplete: %zu files have errors (above), and the items they touch are left out; fix them and run it again",
				files),
			     files);
	}
done:
	zg_project_codes_free(codes);
	free(root);
	zg_report_release(&report);
	zg_project_release(&project);
	zg_diags_release(&diags);
	return zg_cli_finish(status);
}
