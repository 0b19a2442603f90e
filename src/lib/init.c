/*
 * init.c - the layout and templates of a new project.
 *
 * Templates carry Chinese comments that name every field, because the
 * people who fill them in think in the words of the paper forms.
 */
#include "zg/init.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zg/emit.h"
#include "zg/i18n.h"
#include "zg/spawn.h"

/* Where the JSON Schemas are installed, for editors' completion. */
#ifndef ZG_DATADIR
#define ZG_DATADIR "/usr/local/share/zg"
#endif

const struct zg_unit_spec zg_luzhai_units[] = {
	{ "zjj", "县住建局", ZG_UNIT_BUREAU },
	{ "jyj", "县教育局", ZG_UNIT_BUREAU },
	{ "rsj", "县人社局", ZG_UNIT_BUREAU },
	{ "hbj", "县环保局", ZG_UNIT_BUREAU },
	{ "luzhai", "鹿寨镇", ZG_UNIT_TOWN },
	{ "sipai", "四排镇", ZG_UNIT_TOWN },
	{ "zhaisha", "寨沙镇", ZG_UNIT_TOWN },
	{ "zhongdu", "中渡镇", ZG_UNIT_TOWN },
	{ "huangmian", "黄冕镇", ZG_UNIT_TOWN },
	{ "pingshan", "平山镇", ZG_UNIT_TOWN },
	{ "jiangkou", "江口乡", ZG_UNIT_TOWNSHIP },
	{ "daojiang", "导江乡", ZG_UNIT_TOWNSHIP },
	{ "lagou", "拉沟乡", ZG_UNIT_TOWNSHIP },
};
const size_t zg_luzhai_nunits = sizeof zg_luzhai_units / sizeof *zg_luzhai_units;

void zg_init_defaults(struct zg_init_options *o)
{
	memset(o, 0, sizeof *o);
	o->dir = ".";
	o->county = "鹿寨县";
	o->office = "鹿寨县绩效考评委员会办公室";
	o->evaluation_year = 2017;
	o->submit = (struct zg_date){ 2018, 7, 6 };
	o->publicise = (struct zg_date){ 2018, 7, 11 };
	o->complete = (struct zg_date){ 2018, 11, 20 };
	o->self_review = (struct zg_date){ 2018, 11, 30 };
}

static void set_error(struct zg_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_error(struct zg_error *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
}

/* ---- --units FILE ---- */

struct units_csv {
	struct zg_unit_spec *units;
	size_t n, cap;
	char *field[4];
	size_t nfield;
	unsigned long line;	/* the line being parsed */
	unsigned long row_line;	/* the line the current row started on */
	const char *path;
	struct zg_diags *diags;
	bool oom;
};

static void csv_on_field(void *data, size_t len, void *p)
{
	struct units_csv *u = p;
	if (u->nfield == 0)
		u->row_line = u->line;
	if (u->nfield < 4) {
		u->field[u->nfield] = strndup(data ? data : "", data ? len : 0);
		if (!u->field[u->nfield])
			u->oom = true;
	}
	u->nfield++;
}

static int parse_kind(const char *s)
{
	static const char *const zh[] = { "局", "镇", "乡" };
	for (int i = 0; i < 3; i++)
		if (strcmp(s, zg_unit_kind_names[i]) == 0 || strcmp(s, zh[i]) == 0)
			return i;
	return -1;
}

static void csv_on_row(int c, void *p)
{
	(void)c;
	struct units_csv *u = p;
	size_t nf = u->nfield < 4 ? u->nfield : 4;
	bool header = u->row_line == 1 && nf > 0 && u->field[0] &&
		      strcmp(u->field[0], "code") == 0;
	bool blank = nf == 1 && u->field[0] && !*u->field[0];
	int kind = nf >= 3 && u->field[2] ? parse_kind(u->field[2]) : -1;
	if (header || blank || u->oom) {
		/* skip */
	} else if (u->nfield != 3 || !zg_unit_code_valid(u->field[0]) ||
		   !*u->field[1] || kind < 0) {
		zg_diag_add(u->diags, ZG_ERROR, ZG_RULE_UNIT, u->path,
			    (unsigned)u->row_line, 1, NULL, "%s",
			    _("a unit row is code,name,kind with a code of a-z, 0-9, '_', '-' and a kind of bureau, town or township (局, 镇, 乡)"));
	} else if (u->n == u->cap &&
		   !(u->cap = u->cap ? u->cap * 2 : 16,
		     u->units = realloc(u->units, u->cap * sizeof *u->units))) {
		u->oom = true;
	} else {
		u->units[u->n++] = (struct zg_unit_spec){
			u->field[0], u->field[1], (enum zg_unit_kind)kind,
		};
		u->field[0] = u->field[1] = NULL;
	}
	for (size_t i = 0; i < nf; i++) {
		free(u->field[i]);
		u->field[i] = NULL;
	}
	u->nfield = 0;
}

int zg_init_read_units(const char *path, struct zg_unit_spec **units,
		       size_t *nunits, struct zg_diags *diags,
		       struct zg_error *err)
{
	char *buf;
	size_t len;
	int e = zg_read_file(path, &buf, &len);
	if (e) {
		set_error(err, _("cannot read %s: %s"), path, strerror(e));
		return -1;
	}
	struct units_csv u = { .path = path, .diags = diags };
	struct csv_parser parser;
	csv_init(&parser, CSV_APPEND_NULL);
	size_t skip = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	/*
	 * One line at a time, so that findings name the right line: libcsv
	 * reports no row for a blank line, so counting rows would not do.
	 */
	bool ok = true;
	for (size_t off = skip, n; ok && off < len; off += n) {
		const char *nl = memchr(buf + off, '\n', len - off);
		n = nl ? (size_t)(nl - (buf + off)) + 1 : len - off;
		u.line++;
		ok = csv_parse(&parser, buf + off, n, csv_on_field,
			       csv_on_row, &u) == n;
	}
	if (!ok || csv_fini(&parser, csv_on_field, csv_on_row, &u) != 0)
		u.oom = true;
	csv_free(&parser);
	free(buf);
	for (size_t i = 0; i < 4; i++)
		free(u.field[i]);
	if (u.oom) {
		zg_init_units_free(u.units, u.n);
		set_error(err, _("cannot read %s: %s"), path,
			  _("out of memory"));
		return -1;
	}
	*units = u.units;
	*nunits = u.n;
	return 0;
}

void zg_init_units_free(struct zg_unit_spec *units, size_t nunits)
{
	for (size_t i = 0; i < nunits; i++) {
		free((char *)units[i].code);
		free((char *)units[i].name);
	}
	free(units);
}

/* ---- creating files, with a record for undoing them ---- */

struct created {
	char **paths;
	bool *is_dir;
	size_t n, cap;
	char *gitignore;	/* appended to: its old length restores it */
	off_t gitignore_len;
};

static int remember(struct created *c, const char *path, bool dir)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 32;
		char **paths = realloc(c->paths, cap * sizeof *paths);
		if (!paths)
			return ENOMEM;
		c->paths = paths;
		bool *is_dir = realloc(c->is_dir, cap * sizeof *is_dir);
		if (!is_dir)
			return ENOMEM;
		c->is_dir = is_dir;
		c->cap = cap;
	}
	c->paths[c->n] = strdup(path);
	if (!c->paths[c->n])
		return ENOMEM;
	c->is_dir[c->n++] = dir;
	return 0;
}

static void undo(struct created *c)
{
	while (c->n > 0) {
		c->n--;
		if (c->is_dir[c->n])
			rmdir(c->paths[c->n]);
		else
			unlink(c->paths[c->n]);
		free(c->paths[c->n]);
	}
	if (c->gitignore && truncate(c->gitignore, c->gitignore_len) != 0) {
		/* Nothing better to do: the appended lines are harmless. */
	}
}

static void forget(struct created *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->paths[i]);
	free(c->paths);
	free(c->is_dir);
	c->paths = NULL;
	c->is_dir = NULL;
	c->n = c->cap = 0;
	free(c->gitignore);
	c->gitignore = NULL;
}

static int make_dir(struct created *c, const char *path, mode_t mode)
{
	if (mkdir(path, mode) != 0)
		return errno;
	int e = remember(c, path, true);
	if (e) {
		rmdir(path);
		return e;
	}
	/* The umask must not loosen or tighten what privacy asks for. */
	return chmod(path, mode) != 0 ? errno : 0;
}

static int write_new(struct created *c, const char *path, mode_t mode,
		     const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0)
		return errno;
	int e = remember(c, path, false);
	if (e) {
		close(fd);
		unlink(path);
		return e;
	}
	e = zg_write_all(fd, text, strlen(text));
	if (e) {
		close(fd);
		return e;
	}
	return zg_finish_file(fd, mode);
}

/* A growable string for the templates. */
struct text {
	char *s;
	size_t len, cap;
	bool oom;
};

static void text_add(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || t->oom) {
		t->oom = true;
		return;
	}
	if (t->len + (size_t)n + 1 > t->cap) {
		size_t cap = (t->len + (size_t)n + 1) * 2;
		char *s = realloc(t->s, cap);
		if (!s) {
			t->oom = true;
			return;
		}
		t->s = s;
		t->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(t->s + t->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

/* Scalars written for one template, freed together. */
struct scalars {
	struct zg_arena arena;
	bool oom;
};

/* s written as a YAML scalar; "" and sc->oom set when memory ran out. */
static const char *scalar(struct scalars *sc, const char *s)
{
	size_t n = zg_emit_scalar(s, NULL, 0);
	char *buf = zg_arena_alloc(&sc->arena, n + 1);
	if (!buf) {
		sc->oom = true;
		return "";
	}
	zg_emit_scalar(s, buf, n + 1);
	return buf;
}

static char *config_text(const struct zg_init_options *o)
{
	struct text t = { 0 };
	struct scalars a = { ZG_ARENA_INIT, false };
	char submit[11], publicise[11], complete[11], self_review[11];
	zg_date_format(o->submit, submit);
	zg_date_format(o->publicise, publicise);
	zg_date_format(o->complete, complete);
	zg_date_format(o->self_review, self_review);
	text_add(&t,
		 "# yaml-language-server: $schema=" ZG_DATADIR "/zg.schema.json\n"
		 "# zg 项目配置（整改台账）。各字段的含义见 zg-ledger(5) 或 docs/format.md。\n"
		 "zg: 1                    # 台账格式版本\n"
		 "# 县（区）\n"
		 "county: %s\n"
		 "# 绩效办：下发意见建议、核验整改的单位\n"
		 "office: %s\n"
		 "# 意见建议来源的考评年度\n"
		 "evaluation_year: %d\n"
		 "deadlines:               # 时间节点（每轮整改都可改，日期写成 YYYY-MM-DD）\n"
		 "  submit: %s     # 报送整改措施表、情况说明表和整改方案\n"
		 "  publicise: %s  # 报送公示材料\n"
		 "  complete: %s   # 整改完成时限；完不成的须写当年度整改目标（stage_target）\n"
		 "  self_review: %s # 自评，报送完成情况一览表\n"
		 "# 整改责任单位：code 单位代码（也是 ledgers/<code>.yaml 的文件名，只用 a-z 0-9 _ -），\n"
		 "# name 单位名称，kind 类型：bureau 局 | town 镇 | township 乡\n",
		 scalar(&a, o->county), scalar(&a, o->office),
		 o->evaluation_year, submit, publicise, complete, self_review);
	if (o->nunits == 0)
		text_add(&t, "units: []   # 例如：  - {code: zjj, name: 县住建局, kind: bureau}\n");
	else
		text_add(&t, "units:\n");
	for (size_t i = 0; i < o->nunits; i++)
		text_add(&t, "  - {code: %s, name: %s, kind: %s}\n",
			 scalar(&a, o->units[i].code),
			 scalar(&a, o->units[i].name),
			 zg_unit_kind_names[o->units[i].kind]);
	zg_arena_release(&a.arena);
	if (t.oom || a.oom) {
		free(t.s);
		return NULL;
	}
	return t.s;
}

char *zg_init_ledger_text(const struct zg_unit_spec *u)
{
	struct text t = { 0 };
	struct scalars a = { ZG_ARENA_INIT, false };
	const char *name = scalar(&a, u->name);
	const char *code = scalar(&a, u->code);
	text_add(&t,
		 "# yaml-language-server: $schema=" ZG_DATADIR "/zg-ledger.schema.json\n"
		 "# %s整改台账。用 zg-add 记录进展，也可以手工编辑；改完运行 zg-check。\n"
		 "unit: %s          # 整改责任单位代码（与文件名相同）\n"
		 "items: []         # 整改事项，一项一条；样式见下面的注释\n"
		 "#\n"
		 "# items:\n"
		 "#   - id: %s-001                 # 事项编号：单位代码-三位序号\n"
		 "#     category: constructive     # 类别：constructive 建设性 | other 其他类\n"
		 "#     suggestions:               # 群众意见建议（相类似的可归为一项）\n"
		 "#       - {no: 12, text: 意见建议原文}\n"
		 "#     group: 归类名称            # 可选：归纳的类型\n"
		 "#     received: 2018-06-20       # 接收日期\n"
		 "#     investigation: 调查摸底情况\n"
		 "#     verdict: 属实              # 调查结论：属实 | 基本属实 | 部分属实 | 不属实\n"
		 "#     plan:                      # 整改方案（建设性意见建议，须符合“五个有”）\n"
		 "#       goal: 整改目标\n"
		 "#       task: 量化的工作任务，如：改造排水管网 3.2 公里\n"
		 "#       standard: 整改标准\n"
		 "#       roadmap:                 # 可操作的推进路线图：按时间先后的步骤\n"
		 "#         - {due: 2018-08-15, step: 完成勘察设计}\n"
		 "#         - {due: 2018-11-15, step: 完工验收}\n"
		 "#       start: 2018-07-01        # 开始时间\n"
		 "#       due: 2018-11-15          # 完成时限\n"
		 "#       stage_target: 当年度整改目标（完成时限晚于整改完成时限时必填）\n"
		 "#       owner: {leader: 责任领导, unit: 责任股室, person: 责任人}\n"
		 "#       outcome: 可以检验的成果形式，如：竣工验收报告、整改前后对比照片\n"
		 "#     explanation: 情况说明      # 其他类意见建议用 explanation 和 cause，不写 plan\n"
		 "#     cause: 原因分析\n"
		 "#     progress:                  # 过程留痕，按日期先后追加\n"
		 "#       - date: 2018-08-14\n"
		 "#         note: 进展情况\n"
		 "#         evidence:              # 佐证材料，放在 evidence/<事项编号>/ 下\n"
		 "#           - evidence/%s-001/会议记录.pdf\n"
		 "#     status: in_progress        # 状态：not_started 未启动 | in_progress 推进中 |\n"
		 "#                                #   staged 阶段性完成 | done 已完成 | closed 已销号\n"
		 "#     completed: 2018-11-12      # 完成时间\n"
		 "#     result: 整改成效\n"
		 "#     satisfaction: 96           # 群众满意度（百分比）\n"
		 "#\n"
		 "# 群众的姓名、电话等联系方式不要写在这里，只登记在 private/contacts.yaml。\n",
		 name, code, u->code, u->code);
	zg_arena_release(&a.arena);
	if (t.oom || a.oom) {
		free(t.s);
		return NULL;
	}
	return t.s;
}

static const char contacts_text[] =
	"# 群众联系方式（保密，严控知情范围）。\n"
	"# 本文件只留在本机：不进 git、不进任何报表，权限 0600。\n"
	"# 按事项编号登记，例如：\n"
	"# zjj-001:\n"
	"#   - {name: 张某, phone: \"138xxxxxxxx\"}\n";

static const char gitignore_lines[] =
	"# zg: 群众联系方式不进版本库\n"
	"/private/\n"
	"/.zg.lock\n";

/*
 * The pre-commit hook checks what is staged, not the work tree: the index
 * is checked out into a scratch folder and checked there, against HEAD so
 * that an edited trace is caught.  Deadlines and missing evidence do not
 * block a commit (a clerk must be able to record progress on a late
 * item); errors in what is written do.
 */
static const char hook_text[] =
	"#!/bin/sh\n"
	"# zg: 提交前检查暂存的整改台账（zg-check）。紧急时可用 git commit --no-verify 跳过。\n"
	"if ! command -v zg-check >/dev/null 2>&1; then\n"
	"\techo 'zg pre-commit: zg-check is not on PATH; ledgers not checked' >&2\n"
	"\texit 0\n"
	"fi\n"
	"staged=$(mktemp -d) || exit 1\n"
	"trap 'rm -rf \"$staged\"' EXIT\n"
	"git checkout-index --all --prefix=\"$staged/\" || exit 1\n"
	"[ -f \"$staged/zg.yaml\" ] || exit 0\n"
	"against=\n"
	"git rev-parse --verify --quiet HEAD >/dev/null && against=\"--against HEAD\"\n"
	"cd \"$staged\" || exit 1\n"
	"# shellcheck disable=SC2086\n"
	"GIT_DIR=$(cd \"$OLDPWD\" && git rev-parse --absolute-git-dir) GIT_WORK_TREE=. \\\n"
	"\tzg-check --skip overdue --skip deadline --skip due-soon --skip evidence/required $against\n";

static char *path_in(const char *dir, const char *rel)
{
	size_t n = strlen(dir) + strlen(rel) + 2;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s/%s", dir, rel);
	return s;
}

static bool exists(const char *dir, const char *rel)
{
	char *p = path_in(dir, rel);
	struct stat st;
	bool found = p && lstat(p, &st) == 0;
	free(p);
	return found;
}

static int add_gitignore(struct created *c, const char *dir)
{
	char *path = path_in(dir, ".gitignore");
	if (!path)
		return ENOMEM;
	struct stat st;
	if (lstat(path, &st) != 0) {
		int e = write_new(c, path, 0644, gitignore_lines);
		free(path);
		return e;
	}
	char *old;
	size_t len;
	int e = zg_read_file(path, &old, &len);
	if (e) {
		free(path);
		return e;
	}
	bool has = strstr(old, "/private/") || strstr(old, "\nprivate/") ||
		   strncmp(old, "private/", 8) == 0;
	bool newline = len > 0 && old[len - 1] != '\n';
	free(old);
	if (has) {
		free(path);
		return 0;
	}
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		free(path);
		return e;
	}
	c->gitignore = path;
	c->gitignore_len = (off_t)len;
	const char *text = gitignore_lines;
	if (newline && write(fd, "\n", 1) != 1)
		e = errno;
	size_t n = strlen(text);
	if (!e && write(fd, text, n) != (ssize_t)n)
		e = errno ? errno : EIO;
	if (close(fd) != 0 && !e)
		e = errno;
	return e;
}

static int git_setup(struct created *c, const char *dir, struct zg_error *err)
{
	if (!exists(dir, ".git")) {
		const char *argv[] = { "git", "init", "-q", dir, NULL };
		struct zg_spawn_result r;
		int e = zg_spawn(argv, &r);
		if (e) {
			set_error(err, _("cannot run git: %s"),
				  e == ENOENT ? _("git is not installed")
					      : strerror(e));
			return -1;
		}
		int status = r.status;
		if (status != 0)
			set_error(err, _("git init failed: %s"), r.err);
		zg_spawn_result_release(&r);
		if (status != 0)
			return -1;
		char *git = path_in(dir, ".git");
		e = git ? remember(c, git, true) : ENOMEM;
		free(git);
		(void)e;	/* a .git left behind is harmless */
	}
	char *hook = path_in(dir, ".git/hooks/pre-commit");
	if (!hook) {
		set_error(err, "%s", _("out of memory"));
		return -1;
	}
	int e = write_new(c, hook, 0755, hook_text);
	if (e && e != EEXIST) {
		set_error(err, _("cannot write %s: %s"), hook, strerror(e));
		free(hook);
		return -1;
	}
	free(hook);
	return 0;
}

int zg_init_create(const struct zg_init_options *o, struct zg_error *err)
{
	const char *dir = o->dir;
	static const char *const ours[] = { "zg.yaml", "ledgers", "evidence",
					    "private" };
	for (size_t i = 0; i < 4; i++) {
		if (exists(dir, ours[i])) {
			set_error(err,
				  _("'%s' already holds %s: zg-init never writes over an existing project"),
				  dir, ours[i]);
			return -1;
		}
	}
	for (size_t i = 0; i < o->nunits; i++) {
		/* The code names a file under ledgers/: no '/', no "..". */
		if (!zg_unit_code_valid(o->units[i].code)) {
			set_error(err,
				  _("unit code '%s' is not valid: it names the ledger file, so it is 1 to 32 of a-z, 0-9, '_' and '-', starting with a letter or digit"),
				  o->units[i].code);
			return -1;
		}
		for (size_t j = 0; j < i; j++) {
			if (strcmp(o->units[i].code, o->units[j].code) == 0) {
				set_error(err, _("unit code '%s' is given twice"),
					  o->units[i].code);
				return -1;
			}
		}
	}

	struct created c = { 0 };
	int e = 0;
	const char *failed = dir;
	struct stat st;
	if (stat(dir, &st) != 0)
		e = make_dir(&c, dir, 0755);
	else if (!S_ISDIR(st.st_mode))
		e = ENOTDIR;

	char *text = NULL, *path = NULL;
#define STEP(expr, what)                        \
	do {                                    \
		if (!e) {                       \
			failed = (what);        \
			e = (expr);             \
		}                               \
	} while (0)

	char *cfg = path_in(dir, "zg.yaml");
	char *ledgers = path_in(dir, "ledgers");
	char *evidence = path_in(dir, "evidence");
	char *keep = path_in(dir, "evidence/.gitkeep");
	char *private = path_in(dir, "private");
	char *contacts = path_in(dir, "private/contacts.yaml");
	if (!cfg || !ledgers || !evidence || !keep || !private || !contacts)
		e = ENOMEM;
	text = e ? NULL : config_text(o);
	if (!e && !text)
		e = ENOMEM;
	STEP(write_new(&c, cfg, 0644, text), cfg);
	free(text);
	STEP(make_dir(&c, ledgers, 0755), ledgers);
	for (size_t i = 0; !e && i < o->nunits; i++) {
		size_t n = strlen(ledgers) + strlen(o->units[i].code) + 8;
		path = malloc(n);
		text = zg_init_ledger_text(&o->units[i]);
		if (!path || !text) {
			e = ENOMEM;
			failed = ledgers;
		} else {
			snprintf(path, n, "%s/%s.yaml", ledgers,
				 o->units[i].code);
			STEP(write_new(&c, path, 0644, text), path);
		}
		free(text);
		if (e)
			break;
		free(path);
		path = NULL;
	}
	STEP(make_dir(&c, evidence, 0755), evidence);
	STEP(write_new(&c, keep, 0644, ""), keep);
	STEP(make_dir(&c, private, 0700), private);
	STEP(write_new(&c, contacts, 0600, contacts_text), contacts);
	STEP(add_gitignore(&c, dir), ".gitignore");
#undef STEP
	if (e)
		set_error(err, _("cannot create %s: %s"), failed, strerror(e));
	if (!e && o->git && git_setup(&c, dir, err) != 0)
		e = -1;
	free(path);
	free(cfg);
	free(ledgers);
	free(evidence);
	free(keep);
	free(private);
	free(contacts);
	if (e) {
		undo(&c);
		forget(&c);
		return -1;
	}
	forget(&c);
	return 0;
}
