/*
 * zg-add - record what happens in a ledger, touching no other byte.
 *
 * Parses the subcommand and its options, asks for what is missing when a
 * person is at the terminal, and hands the change to libzg's record
 * module, which locks, splices, checks and writes atomically.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "zg/date.h"
#include "zg/i18n.h"
#include "zg/model.h"
#include "zg/project.h"
#include "zg/record.h"

enum { MAX_LIST = 64 };

static void usage(void)
{
	printf(_("Usage: %s [-C DIR] COMMAND [OPTION]...\n"
		 "Record what happens to the items of a ledger. Only the lines asked for\n"
		 "change: comments, order, quoting and blank lines stay as they are. Every\n"
		 "write is locked, checked and atomic.\n"
		 "\n"
		 "Commands:\n"
		 "  item      add an item; prints its new id\n"
		 "            --unit CODE --category constructive|other --suggestion TEXT\n"
		 "            [--no N] ... [--group TEXT] [--received DATE]\n"
		 "            [--investigation TEXT] [--verdict 属实|基本属实|部分属实|不属实]\n"
		 "            constructive: [--goal TEXT] [--task TEXT] [--standard TEXT]\n"
		 "            [--step DATE:TEXT]... [--start DATE] [--due DATE]\n"
		 "            [--stage-target TEXT] [--leader NAME] [--owner-unit NAME]\n"
		 "            [--person NAME] [--outcome TEXT]\n"
		 "            other: [--explanation TEXT] [--cause TEXT]\n"
		 "            [--contact \"NAME PHONE\"]... (kept only in private/contacts.yaml)\n"
		 "            [--no-input] never ask; otherwise a terminal is asked for\n"
		 "            what is missing\n"
		 "  progress  ID --note TEXT [--date DATE] [--evidence FILE[:KIND]]... [--step N]\n"
		 "            add a progress entry; evidence is copied into evidence/ID/\n"
		 "            with its sha256; --step N marks roadmap step N done\n"
		 "  status    ID STATUS [--date DATE] [--result TEXT] [--satisfaction N]\n"
		 "            STATUS: not_started, in_progress, staged, done, closed\n"
		 "  submit    ID|--unit CODE [--date DATE]  mark submitted; locks the plan\n"
		 "  publish   ID|--unit CODE --where TEXT [--date DATE]  record publicity\n"
		 "  verify    ID --by NAME --score N [--date DATE]  verification; closes it\n"
		 "  amend     ID --reason TEXT --approved-by NAME [--date DATE]\n"
		 "            record an approved change of a submitted plan and lock it again\n"
		 "\n"
		 "  -C DIR     use the project in DIR (default: $ZG_DIR, else the nearest\n"
		 "             folder upwards that holds zg.yaml)\n"
		 "  -h, --help show this help and exit\n"
		 "  --version  show the version and exit\n"
		 "DATE is YYYY-MM-DD or today (the default). KIND is one of plan, notice,\n"
		 "minutes, call, statistics, photo, media, report, other.\n"
		 "\n"
		 "Exit status: 0 recorded, 1 refused (the ledger is left as it was),\n"
		 "2 usage error or a project that cannot be read or written.\n"
		 "\n"
		 "Examples:\n"
		 "  zg-add item --unit zjj --category constructive --suggestion 城东片区排水不畅 \\\n"
		 "      --goal 消除积水 --task '改造排水管网 3.2 公里' --standard 汛期不积水 \\\n"
		 "      --step 2018-08-15:完成勘察设计 --step 2018-11-15:完工验收 \\\n"
		 "      --start 2018-07-01 --due 2018-11-15 --leader '李某 副局长' \\\n"
		 "      --owner-unit 城建股 --person 王某 --outcome '竣工验收报告、对比照片'\n"
		 "  zg-add progress zjj-001 --note 完成勘察设计 --evidence survey.pdf:report --step 1\n"
		 "  zg-add status zjj-001 done --result 积水点全部消除 --satisfaction 96\n"
		 "  zg-add submit --unit zjj --date 2018-07-05\n"
		 "  zg-add publish zjj-001 --where 县住建局门户网站\n"
		 "  zg-add verify zjj-001 --by 县绩效办 --score 95\n"
		 "  zg-add amend zjj-001 --reason 延长工期 --approved-by 县绩效办\n"),
	       zg_cli_program);
}

/* ---- shared option helpers ---- */

static bool parse_date(const char *opt, const char *arg, struct zg_date *out)
{
	if (zg_date_parse_arg(arg, out))
		return true;
	zg_cli_usage_error(_("%s '%s' is not a date that exists (YYYY-MM-DD or today)"),
			   opt, arg);
	return false;
}

static bool parse_number(const char *opt, const char *arg, double lo,
			 double hi, double *out)
{
	char *end;
	errno = 0;
	double x = strtod(arg, &end);
	if (!*arg || *end || errno || x < lo || x > hi) {
		zg_cli_usage_error(_("%s '%s' is not a number from %g to %g"),
				   opt, arg, lo, hi);
		return false;
	}
	*out = x;
	return true;
}

static int name_index(const char *const *names, const char *s)
{
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

static int parse_status(const char *s)
{
	static const char *const zh[] = { "未启动", "推进中", "阶段性完成",
					  "已完成", "已销号", NULL };
	int i = name_index(zg_status_names, s);
	return i >= 0 ? i : name_index(zh, s);
}

static int parse_category(const char *s)
{
	static const char *const zh[] = { "建设性", "其他类", NULL };
	int i = name_index(zg_category_names, s);
	return i >= 0 ? i : name_index(zh, s);
}

static int parse_kind(const char *s)
{
	static const char *const zh[] = { "工作方案", "通知", "会议记录", "通话记录",
					  "统计数据", "图片", "声像", "报告", "其他",
					  NULL };
	int i = name_index(zg_evidence_kind_names, s);
	return i >= 0 ? i : name_index(zh, s);
}

/* Opens the project for a command; prints why not and returns false. */
static bool open_project(const char *dir, struct zg_project *p,
			 struct zg_diags *d)
{
	struct zg_error err;
	char *root = NULL;
	memset(p, 0, sizeof *p);
	if (zg_project_locate(dir, &root, &err) != 0 ||
	    zg_project_open(p, root, d, &err) != 0) {
		zg_diags_sort(d);
		zg_cli_print_diags(stderr, d);
		zg_cli_error("%s", err.message);
		zg_project_release(p);
		free(root);
		return false;
	}
	free(root);
	return true;
}

/* Maps a record result to the exit status, saying why on failure. */
static int finish(enum zg_record_result r, struct zg_diags *d,
		  const struct zg_record_out *out)
{
	if (d->n) {
		zg_diags_sort(d);
		zg_cli_print_diags(stderr, d);
	}
	if (r != ZG_RECORD_OK && out->err.message[0])
		zg_cli_error("%s", out->err.message);
	if (r == ZG_RECORD_OK && out->err.message[0])
		zg_cli_error("%s", out->err.message);
	return r == ZG_RECORD_OK ? ZG_EXIT_OK
	       : r == ZG_RECORD_REFUSED ? ZG_EXIT_FINDINGS : ZG_EXIT_USAGE;
}

/* ---- interactive questions ---- */

static bool interactive;

/*
 * Asks for a field on the terminal: "整改目标 (goal) [default]: ".
 * Returns a malloc'd answer, the default on an empty line, or NULL.
 */
static char *ask(const char *zh, const char *key, const char *def)
{
	if (!interactive)
		return def ? strdup(def) : NULL;
	if (def && *def)
		fprintf(stderr, "%s (%s) [%s]: ", zh, key, def);
	else
		fprintf(stderr, "%s (%s): ", zh, key);
	fflush(stderr);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, stdin);
	if (n < 0) {
		free(line);
		interactive = false;	/* end of input: ask no more */
		return def ? strdup(def) : NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if (n == 0) {
		free(line);
		return def && *def ? strdup(def) : NULL;
	}
	return line;
}

/* Answers live until the command ends; this list frees them. */
static char *answers[256];
static size_t nanswers;

static const char *keep(char *s)
{
	if (s && nanswers < sizeof answers / sizeof *answers)
		answers[nanswers++] = s;
	return s;
}

static void ask_text(const char **field, const char *zh, const char *key,
		     const char *def)
{
	if (!*field && interactive)
		*field = keep(ask(zh, key, def));
}

static void ask_date(struct zg_date *field, const char *zh, const char *key)
{
	while (field->year == 0 && interactive) {
		char *a = ask(zh, key, NULL);
		if (!a)
			return;
		if (!zg_date_parse_arg(a, field))
			fprintf(stderr, _("'%s' is not a date (YYYY-MM-DD or today)\n"), a);
		free(a);
	}
}

/* The owner of the unit's latest constructive item: the likely default. */
static void previous_owner(const char *dir, const char *unit,
			   const char **leader, const char **owner_unit)
{
	struct zg_project p;
	struct zg_diags d;
	struct zg_error err;
	char *root = NULL;
	zg_diags_init(&d);
	memset(&p, 0, sizeof p);
	const char *units[] = { unit };
	if (zg_project_locate(dir, &root, &err) == 0 &&
	    zg_project_open(&p, root, &d, &err) == 0 &&
	    zg_project_load_ledgers(&p, units, 1, &d, &err) == 0 &&
	    p.nledgers == 1 && p.ledgers[0].doc) {
		const struct zg_ledger_doc *doc = p.ledgers[0].doc;
		for (size_t i = doc->nitems; i-- > 0;) {
			const struct zg_plan *plan = doc->items[i].plan;
			if (plan && plan->owner) {
				const char *l = zg_text(plan->owner->leader);
				const char *u = zg_text(plan->owner->unit);
				*leader = l ? keep(strdup(l)) : NULL;
				*owner_unit = u ? keep(strdup(u)) : NULL;
				break;
			}
		}
	}
	free(root);
	zg_project_release(&p);
	zg_diags_release(&d);
}

/* ---- item ---- */

enum {
	OPT_APPROVED_BY = 256, OPT_BY, OPT_CATEGORY, OPT_CAUSE, OPT_CONTACT,
	OPT_DATE, OPT_DUE, OPT_EVIDENCE, OPT_EXPLANATION, OPT_GOAL, OPT_GROUP,
	OPT_INVESTIGATION, OPT_LEADER, OPT_NO, OPT_NO_INPUT, OPT_NOTE,
	OPT_OUTCOME, OPT_OWNER_UNIT, OPT_PERSON, OPT_REASON, OPT_RECEIVED,
	OPT_RESULT, OPT_SATISFACTION, OPT_SCORE, OPT_STAGE_TARGET,
	OPT_STANDARD, OPT_START, OPT_STEP, OPT_SUGGESTION, OPT_TASK, OPT_UNIT,
	OPT_VERDICT, OPT_WHERE,
};

static int cmd_item(const char *dir, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "category", required_argument, NULL, OPT_CATEGORY },
		{ "cause", required_argument, NULL, OPT_CAUSE },
		{ "contact", required_argument, NULL, OPT_CONTACT },
		{ "due", required_argument, NULL, OPT_DUE },
		{ "explanation", required_argument, NULL, OPT_EXPLANATION },
		{ "goal", required_argument, NULL, OPT_GOAL },
		{ "group", required_argument, NULL, OPT_GROUP },
		{ "investigation", required_argument, NULL, OPT_INVESTIGATION },
		{ "leader", required_argument, NULL, OPT_LEADER },
		{ "no", required_argument, NULL, OPT_NO },
		{ "no-input", no_argument, NULL, OPT_NO_INPUT },
		{ "outcome", required_argument, NULL, OPT_OUTCOME },
		{ "owner-unit", required_argument, NULL, OPT_OWNER_UNIT },
		{ "person", required_argument, NULL, OPT_PERSON },
		{ "received", required_argument, NULL, OPT_RECEIVED },
		{ "stage-target", required_argument, NULL, OPT_STAGE_TARGET },
		{ "standard", required_argument, NULL, OPT_STANDARD },
		{ "start", required_argument, NULL, OPT_START },
		{ "step", required_argument, NULL, OPT_STEP },
		{ "suggestion", required_argument, NULL, OPT_SUGGESTION },
		{ "task", required_argument, NULL, OPT_TASK },
		{ "unit", required_argument, NULL, OPT_UNIT },
		{ "verdict", required_argument, NULL, OPT_VERDICT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct zg_item_spec s = { .category = -1 };
	struct zg_suggestion_spec sugg[MAX_LIST];
	struct zg_step_spec steps[MAX_LIST];
	struct zg_contact_spec contacts[MAX_LIST];
	char *contact_copies[MAX_LIST];
	size_t ncopies = 0;
	bool no_input = false;
	int c, status = ZG_EXIT_USAGE;
	s.suggestions = sugg;
	s.steps = steps;
	s.contacts = contacts;
	s.received = zg_date_today();
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		char *colon, *end;
		switch (c) {
		case OPT_UNIT: s.unit = optarg; break;
		case OPT_CATEGORY:
			if ((s.category = parse_category(optarg)) < 0) {
				zg_cli_usage_error(_("--category '%s' is not constructive or other"), optarg);
				goto out;
			}
			break;
		case OPT_SUGGESTION:
			if (s.nsuggestions == MAX_LIST)
				goto too_many;
			sugg[s.nsuggestions++] = (struct zg_suggestion_spec){ optarg, 0 };
			break;
		case OPT_NO: {
			long no = strtol(optarg, &end, 10);
			if (!s.nsuggestions || *end || no < 1) {
				zg_cli_usage_error(_("--no '%s' needs a positive number after a --suggestion"), optarg);
				goto out;
			}
			sugg[s.nsuggestions - 1].no = no;
			break;
		}
		case OPT_GROUP: s.group = optarg; break;
		case OPT_RECEIVED:
			if (!parse_date("--received", optarg, &s.received))
				goto out;
			break;
		case OPT_INVESTIGATION: s.investigation = optarg; break;
		case OPT_VERDICT:
			if (name_index(zg_verdict_names, optarg) < 0) {
				zg_cli_usage_error(_("--verdict '%s' is not 属实, 基本属实, 部分属实 or 不属实"), optarg);
				goto out;
			}
			s.verdict = optarg;
			break;
		case OPT_GOAL: s.goal = optarg; break;
		case OPT_TASK: s.task = optarg; break;
		case OPT_STANDARD: s.standard = optarg; break;
		case OPT_STEP:
			colon = strchr(optarg, ':');
			if (s.nsteps == MAX_LIST)
				goto too_many;
			if (!colon || !colon[1]) {
				zg_cli_usage_error(_("--step '%s' is not DATE:TEXT"), optarg);
				goto out;
			}
			*colon = '\0';
			if (!parse_date("--step", optarg, &steps[s.nsteps].due))
				goto out;
			steps[s.nsteps++].text = colon + 1;
			break;
		case OPT_START:
			if (!parse_date("--start", optarg, &s.start))
				goto out;
			break;
		case OPT_DUE:
			if (!parse_date("--due", optarg, &s.due))
				goto out;
			break;
		case OPT_STAGE_TARGET: s.stage_target = optarg; break;
		case OPT_LEADER: s.leader = optarg; break;
		case OPT_OWNER_UNIT: s.owner_unit = optarg; break;
		case OPT_PERSON: s.person = optarg; break;
		case OPT_OUTCOME: s.outcome = optarg; break;
		case OPT_EXPLANATION: s.explanation = optarg; break;
		case OPT_CAUSE: s.cause = optarg; break;
		case OPT_CONTACT: {
			if (s.ncontacts == MAX_LIST)
				goto too_many;
			/* "NAME PHONE": the phone is the last word. */
			char *copy = strdup(optarg);
			if (!copy)
				goto out;
			contact_copies[ncopies++] = copy;
			char *sp = strrchr(copy, ' ');
			struct zg_contact_spec *ct = &contacts[s.ncontacts++];
			if (sp) {
				*sp = '\0';
				ct->name = copy;
				ct->phone = sp + 1;
			} else if (strspn(copy, "0123456789-+ ") == strlen(copy)) {
				ct->name = NULL;
				ct->phone = copy;
			} else {
				ct->name = copy;
				ct->phone = NULL;
			}
			break;
		}
		case OPT_NO_INPUT: no_input = true; break;
		case 'h':
			usage();
			status = ZG_EXIT_OK;
			goto out;
		case ':':
			zg_cli_usage_error(_("option '%s' needs a value"), argv[optind - 1]);
			goto out;
		default:
			zg_cli_usage_error(_("unknown option '%s'"), argv[optind - 1]);
			goto out;
		}
	}
	if (optind < argc) {
		zg_cli_usage_error(_("unexpected argument '%s'"), argv[optind]);
		goto out;
	}

	interactive = !no_input && isatty(STDIN_FILENO);
	ask_text(&s.unit, "整改责任单位代码", "unit", NULL);
	while (s.category < 0 && interactive) {
		char *a = ask("意见建议类别", "constructive/other", NULL);
		if (!a)
			break;
		s.category = parse_category(a);
		free(a);
	}
	if (s.nsuggestions == 0 && interactive) {
		const char *text = keep(ask("群众意见建议", "suggestion", NULL));
		if (text)
			sugg[s.nsuggestions++] = (struct zg_suggestion_spec){ text, 0 };
	}
	if (!s.unit || s.category < 0 || s.nsuggestions == 0) {
		zg_cli_usage_error("%s", !s.unit ? _("missing --unit CODE")
				   : s.category < 0 ? _("missing --category constructive|other")
				   : _("missing --suggestion TEXT"));
		goto out;
	}
	if (s.category == ZG_CONSTRUCTIVE && interactive) {
		const char *leader = NULL, *owner_unit = NULL;
		previous_owner(dir, s.unit, &leader, &owner_unit);
		ask_text(&s.goal, "整改目标", "goal", NULL);
		ask_text(&s.task, "量化的工作任务", "task", NULL);
		ask_text(&s.standard, "整改标准", "standard", NULL);
		/* Steps until an empty line, unless the options gave them. */
		bool ask_steps = s.nsteps == 0;
		while (ask_steps && interactive && s.nsteps < MAX_LIST) {
			struct zg_date due = { 0, 0, 0 };
			ask_date(&due, "推进路线图：步骤时限（空行结束）", "step due");
			if (due.year == 0)
				break;
			const char *text = keep(ask("推进路线图：步骤内容", "step", NULL));
			if (!text)
				break;
			steps[s.nsteps++] = (struct zg_step_spec){ due, text };
		}
		ask_date(&s.start, "开始时间", "start");
		ask_date(&s.due, "完成时限", "due");
		ask_text(&s.leader, "责任领导", "leader", leader);
		ask_text(&s.owner_unit, "责任股室", "owner unit", owner_unit);
		ask_text(&s.person, "责任人", "person", NULL);
		ask_text(&s.outcome, "成果形式", "outcome", NULL);
	} else if (interactive) {
		ask_text(&s.explanation, "情况说明", "explanation", NULL);
		ask_text(&s.cause, "原因分析", "cause", NULL);
	}

	struct zg_project p;
	struct zg_diags d;
	zg_diags_init(&d);
	if (!open_project(dir, &p, &d)) {
		zg_diags_release(&d);
		goto out;
	}
	struct zg_record_out out;
	enum zg_record_result r = zg_record_item(&p, &s, &d, &out);
	if (out.id[0] && (r == ZG_RECORD_OK || s.ncontacts))
		printf("%s\n", out.id);
	status = finish(r, &d, &out);
	zg_project_release(&p);
	zg_diags_release(&d);
	goto out;
too_many:
	zg_cli_usage_error(_("too many repeated options (at most %d)"), MAX_LIST);
out:
	for (size_t i = 0; i < ncopies; i++)
		free(contact_copies[i]);
	return status;
}

/* ---- the commands on one item ---- */

struct args {
	const char *id, *unit, *note, *result, *where, *by, *reason,
		*approved_by, *status;
	struct zg_date date;
	double satisfaction, score;
	bool has_score;
	struct zg_evidence_spec evidence[MAX_LIST];
	size_t nevidence;
	size_t step;
};

static int parse_args(int argc, char **argv, const struct option *longopts,
		      struct args *a, int positional)
{
	optind = 1;
	a->date = zg_date_today();
	a->satisfaction = -1;
	int c;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'h':
			usage();
			return 1;
		case OPT_DATE:
			if (!parse_date("--date", optarg, &a->date))
				return -1;
			break;
		case OPT_UNIT: a->unit = optarg; break;
		case OPT_NOTE: a->note = optarg; break;
		case OPT_RESULT: a->result = optarg; break;
		case OPT_WHERE: a->where = optarg; break;
		case OPT_BY: a->by = optarg; break;
		case OPT_REASON: a->reason = optarg; break;
		case OPT_APPROVED_BY: a->approved_by = optarg; break;
		case OPT_SATISFACTION:
			if (!parse_number("--satisfaction", optarg, 0, 100, &a->satisfaction))
				return -1;
			break;
		case OPT_SCORE:
			if (!parse_number("--score", optarg, 0, 100, &a->score))
				return -1;
			a->has_score = true;
			break;
		case OPT_STEP:
			a->step = strtoul(optarg, &end, 10);
			if (!*optarg || *optarg == '-' || *end || a->step < 1) {
				zg_cli_usage_error(_("--step '%s' is not a step number (1, 2, …)"), optarg);
				return -1;
			}
			break;
		case OPT_EVIDENCE: {
			if (a->nevidence == MAX_LIST) {
				zg_cli_usage_error(_("too many repeated options (at most %d)"), MAX_LIST);
				return -1;
			}
			struct zg_evidence_spec *e = &a->evidence[a->nevidence++];
			e->path = optarg;
			e->kind = -1;
			char *colon = strrchr(optarg, ':');
			if (colon && parse_kind(colon + 1) >= 0) {
				e->kind = parse_kind(colon + 1);
				*colon = '\0';
			}
			break;
		}
		case ':':
			zg_cli_usage_error(_("option '%s' needs a value"), argv[optind - 1]);
			return -1;
		default:
			zg_cli_usage_error(_("unknown option '%s'"), argv[optind - 1]);
			return -1;
		}
	}
	int left = argc - optind;
	if (positional >= 1 && left >= 1)
		a->id = argv[optind++];
	if (positional >= 2 && left >= 2)
		a->status = argv[optind++];
	if (optind < argc) {
		zg_cli_usage_error(_("unexpected argument '%s'"), argv[optind]);
		return -1;
	}
	return 0;
}

static int need(const char *value, const char *what)
{
	if (value)
		return 0;
	zg_cli_usage_error(_("missing %s"), what);
	return -1;
}

static int cmd_change(const char *dir, const char *cmd, int argc, char **argv)
{
	static const struct option progress_opts[] = {
		{ "date", required_argument, NULL, OPT_DATE },
		{ "evidence", required_argument, NULL, OPT_EVIDENCE },
		{ "note", required_argument, NULL, OPT_NOTE },
		{ "step", required_argument, NULL, OPT_STEP },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct option status_opts[] = {
		{ "date", required_argument, NULL, OPT_DATE },
		{ "result", required_argument, NULL, OPT_RESULT },
		{ "satisfaction", required_argument, NULL, OPT_SATISFACTION },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct option unit_opts[] = {
		{ "date", required_argument, NULL, OPT_DATE },
		{ "unit", required_argument, NULL, OPT_UNIT },
		{ "where", required_argument, NULL, OPT_WHERE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct option verify_opts[] = {
		{ "by", required_argument, NULL, OPT_BY },
		{ "date", required_argument, NULL, OPT_DATE },
		{ "score", required_argument, NULL, OPT_SCORE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct option amend_opts[] = {
		{ "approved-by", required_argument, NULL, OPT_APPROVED_BY },
		{ "date", required_argument, NULL, OPT_DATE },
		{ "reason", required_argument, NULL, OPT_REASON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct args a;
	memset(&a, 0, sizeof a);
	bool progress = strcmp(cmd, "progress") == 0;
	bool status = strcmp(cmd, "status") == 0;
	bool submit = strcmp(cmd, "submit") == 0;
	bool publish = strcmp(cmd, "publish") == 0;
	bool verify = strcmp(cmd, "verify") == 0;
	const struct option *opts = progress ? progress_opts
				    : status ? status_opts
				    : submit || publish ? unit_opts
				    : verify ? verify_opts : amend_opts;
	int parsed = parse_args(argc, argv, opts, &a, status ? 2 : 1);
	if (parsed > 0)
		return ZG_EXIT_OK;	/* --help */
	if (parsed < 0)
		return ZG_EXIT_USAGE;
	if (submit || publish) {
		if ((a.id != NULL) == (a.unit != NULL))
			return zg_cli_usage_error(_("give an item ID or --unit CODE, not both"));
		if (submit && a.where)
			return zg_cli_usage_error(_("unknown option '%s'"), "--where");
	} else if (need(a.id, _("the item ID"))) {
		return ZG_EXIT_USAGE;
	}
	int st = -1;
	if ((progress && need(a.note, "--note TEXT")) ||
	    (status && need(a.status, _("the STATUS"))) ||
	    (publish && need(a.where, "--where TEXT")) ||
	    (verify && (need(a.by, "--by NAME") ||
			need(a.has_score ? "" : NULL, "--score N"))) ||
	    (!progress && !status && !submit && !publish && !verify &&
	     (need(a.reason, "--reason TEXT") ||
	      need(a.approved_by, "--approved-by NAME"))))
		return ZG_EXIT_USAGE;
	if (status && (st = parse_status(a.status)) < 0)
		return zg_cli_usage_error(
			_("'%s' is not a status: not_started, in_progress, staged, done or closed"),
			a.status);

	struct zg_project p;
	struct zg_diags d;
	zg_diags_init(&d);
	if (!open_project(dir, &p, &d)) {
		zg_diags_release(&d);
		return ZG_EXIT_USAGE;
	}
	struct zg_record_out out;
	enum zg_record_result r;
	const char *done;
	if (progress) {
		struct zg_progress_spec s = { a.id, a.date, a.note, a.evidence,
					      a.nevidence, a.step };
		r = zg_record_progress(&p, &s, &d, &out);
		done = _("progress recorded");
	} else if (status) {
		r = zg_record_status(&p, a.id, st, a.date, a.result,
				     a.satisfaction, &d, &out);
		done = _("status recorded");
	} else if (submit) {
		r = zg_record_submit(&p, a.id, a.unit, a.date, &d, &out);
		done = _("submitted, plan locked");
	} else if (publish) {
		r = zg_record_publish(&p, a.id, a.unit, a.where, a.date, &d, &out);
		done = _("publication recorded");
	} else if (verify) {
		r = zg_record_verify(&p, a.id, a.by, a.score, a.date, &d, &out);
		done = _("verified and closed");
	} else {
		r = zg_record_amend(&p, a.id, a.reason, a.approved_by, a.date,
				    &d, &out);
		done = _("amendment recorded, plan locked again");
	}
	if (r == ZG_RECORD_OK) {
		if (a.unit && out.changed)
			printf(P_("%s: %s (%zu item)\n", "%s: %s (%zu items)\n", out.changed),
			       a.unit, done, out.changed);
		else if (a.unit)
			printf(_("%s: nothing to do; every item was done already\n"), a.unit);
		else
			printf("%s: %s\n", a.id, done);
	}
	int rc = finish(r, &d, &out);
	zg_project_release(&p);
	zg_diags_release(&d);
	return rc;
}

int main(int argc, char **argv)
{
	zg_cli_init("zg-add");
	const char *dir = NULL;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage();
			return zg_cli_finish(ZG_EXIT_OK);
		}
		if (strcmp(argv[i], "--version") == 0) {
			zg_cli_version();
			return zg_cli_finish(ZG_EXIT_OK);
		}
		if (strcmp(argv[i], "-C") == 0 && i + 1 >= argc) {
			return zg_cli_usage_error(_("option '%s' needs a value"), "-C");
		} else if (strcmp(argv[i], "-C") == 0) {
			dir = argv[++i];
		} else if (strncmp(argv[i], "-C", 2) == 0 && argv[i][2]) {
			dir = argv[i] + 2;
		} else {
			return zg_cli_usage_error(_("unknown option '%s'"), argv[i]);
		}
	}
	if (i >= argc)
		return zg_cli_usage_error("%s", _("missing a command: item, progress, status, submit, publish, verify or amend"));
	const char *cmd = argv[i];
	int sub_argc = argc - i;
	char **sub_argv = argv + i;
	int rc;
	if (strcmp(cmd, "item") == 0)
		rc = cmd_item(dir, sub_argc, sub_argv);
	else if (strcmp(cmd, "progress") == 0 || strcmp(cmd, "status") == 0 ||
		 strcmp(cmd, "submit") == 0 || strcmp(cmd, "publish") == 0 ||
		 strcmp(cmd, "verify") == 0 || strcmp(cmd, "amend") == 0)
		rc = cmd_change(dir, cmd, sub_argc, sub_argv);
	else
		rc = zg_cli_usage_error(_("'%s' is not a command: item, progress, status, submit, publish, verify or amend"), cmd);
	for (size_t k = 0; k < nanswers; k++)
		free(answers[k]);
	return zg_cli_finish(rc);
}
