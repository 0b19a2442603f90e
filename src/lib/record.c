/*
 * record.c - the transactions of zg-add.
 *
 * One struct txn holds everything of one change: the lock, the ledger's
 * bytes and tree, the splices, and the evidence copied for it (removed
 * again if the change is refused).
 */
#include "zg/record.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zg/digest.h"
#include "zg/edit.h"
#include "zg/i18n.h"
#include "zg/init.h"
#include "zg/load.h"
#include "zg/privacy.h"
#include "zg/text.h"

struct txn {
	const struct zg_project *p;
	struct zg_diags *d;
	struct zg_record_out *out;
	char code[40];
	char *path;		/* the ledger, as displayed */
	int lock_fd;
	char *buf;
	size_t len;
	bool existed;
	mode_t mode;
	struct zg_arena arena;
	struct zg_node *root;
	struct zg_ledger_doc *doc;
	size_t errors_before;
	struct zg_editor ed;
	char **copied;		/* evidence files this change brought in */
	size_t ncopied;
	char *made[4];		/* folders it made for them, outermost first */
	size_t nmade;
	struct side_file *side;	/* written with the ledger, or neither is */
};

/*
 * A second file a change writes with its ledger (a new item's contacts):
 * written first, and put back as it was if the ledger cannot be written.
 */
struct side_file {
	char *path;
	char *old;		/* its bytes before; NULL when it did not exist */
	size_t old_len;
	char *next;
	size_t next_len;
	mode_t mode;
	char *dir;		/* its folder */
	bool made_dir;		/* this change made the folder */
};

static enum zg_record_result fail(struct txn *t, enum zg_record_result r,
				  const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum zg_record_result fail(struct txn *t, enum zg_record_result r,
				  const char *fmt, ...)
{
	/* Whatever went wrong next, the cause was the memory. */
	if (t->arena.failed) {
		snprintf(t->out->err.message, sizeof t->out->err.message, "%s",
			 _("out of memory"));
		return ZG_RECORD_FAILED;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->out->err.message, sizeof t->out->err.message, fmt, ap);
	va_end(ap);
	return r;
}

bool zg_record_unit_of(const char *id, char *buf, size_t size)
{
	const char *dash = id ? strrchr(id, '-') : NULL;
	if (!dash || dash == id || (size_t)(dash - id) >= size)
		return false;
	memcpy(buf, id, (size_t)(dash - id));
	buf[dash - id] = '\0';
	return zg_unit_code_valid(buf);
}

/* ---- begin and end ---- */

static int lock_project(const struct zg_project *p)
{
	char *path = zg_project_path(p, ".zg.lock");
	if (!path)
		return -1;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	free(path);
	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

/*
 * Under the lock no other writer is half-way, so a temporary file of this
 * ledger is what a crash left before its rename: the change it held was
 * never made, and the file only clutters the folder.
 */
static void remove_stale_temporaries(const char *ledger_path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(ledger_path, '/');
	const char *name = slash ? slash + 1 : ledger_path;
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - ledger_path) : 1,
		 slash ? ledger_path : ".");
	char prefix[NAME_MAX + 2];
	snprintf(prefix, sizeof prefix, ".%s.", name);
	size_t n = strlen(prefix);
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, prefix, n) == 0 &&
		    strlen(de->d_name + n) == 6) {
			char path[PATH_MAX];
			if (snprintf(path, sizeof path, "%s/%s", dir, de->d_name) <
			    (int)sizeof path)
				unlink(path);
		}
	}
	closedir(d);
}

static size_t loader_errors(struct zg_arena *arena, const char *path,
			    const char *buf, size_t len, struct zg_node **root,
			    struct zg_ledger_doc **doc, struct zg_diags *d)
{
	size_t before = d->errors;
	*doc = NULL;
	if (zg_tree_parse(arena, path, buf, len, root, d) == 0)
		*doc = zg_load_ledger(arena, path, *root, d);
	return d->errors - before;
}

static enum zg_record_result begin(struct txn *t, const struct zg_project *p,
				   const char *code, struct zg_diags *d,
				   struct zg_record_out *out)
{
	memset(t, 0, sizeof *t);
	t->p = p;
	t->d = d;
	t->out = out;
	t->lock_fd = -1;
	zg_arena_init(&t->arena);
	/* The code names a file: nothing but a valid code ever gets that far. */
	if (strlen(code) >= sizeof t->code || !zg_unit_code_valid(code) ||
	    !zg_project_unit(p, code))
		return fail(t, ZG_RECORD_FAILED,
			    _("unit '%s' is not a valid unit code declared in %s"), code,
			    p->config_path);
	strcpy(t->code, code);
	char rel[64];
	snprintf(rel, sizeof rel, "ledgers/%s.yaml", code);
	t->path = zg_project_path(p, rel);
	if (!t->path)
		return fail(t, ZG_RECORD_FAILED, "%s", _("out of memory"));
	t->lock_fd = lock_project(p);
	if (t->lock_fd < 0)
		return fail(t, ZG_RECORD_FAILED,
			    _("cannot take the project's lock (.zg.lock): %s"),
			    strerror(errno));
	remove_stale_temporaries(t->path);
	if (zg_project_link_out(p, t->path))
		return fail(t, ZG_RECORD_FAILED,
			    _("%s is a link that leads out of the project, or to nothing; zg does not write through it"),
			    t->path);
	int e = zg_read_file(t->path, &t->buf, &t->len);
	struct stat st;
	if (e == 0 && stat(t->path, &st) == 0) {
		t->existed = true;
		t->mode = st.st_mode & 07777;
	} else if (e == ENOENT) {
		/* A unit's first item starts its ledger from the template. */
		const struct zg_unit_entry *u = zg_project_unit(p, code);
		struct zg_unit_spec spec = {
			code, u->name ? u->name : code,
			u->kind >= 0 ? (enum zg_unit_kind)u->kind
				     : ZG_UNIT_BUREAU,
		};
		t->buf = zg_init_ledger_text(&spec);
		if (!t->buf)
			return fail(t, ZG_RECORD_FAILED, "%s", _("out of memory"));
		t->len = strlen(t->buf);
		t->mode = 0644;
	} else {
		return fail(t, ZG_RECORD_FAILED, _("cannot read %s: %s"), t->path,
			    e == ENODEV ? _("not a regular file (a pipe, a socket or a device)")
					: strerror(e));
	}
	struct zg_diags before;
	zg_diags_init(&before);
	t->errors_before = loader_errors(&t->arena, t->path, t->buf, t->len,
					 &t->root, &t->doc, &before);
	if (before.oom) {
		zg_diags_release(&before);
		return fail(t, ZG_RECORD_FAILED, "%s", _("out of memory"));
	}
	/* A file that does not parse whole (a second document …) is not edited. */
	bool syntax = false;
	for (size_t i = 0; i < before.n; i++)
		syntax |= strcmp(before.v[i].rule, ZG_RULE_SYNTAX) == 0 ||
			  strcmp(before.v[i].rule, ZG_RULE_ENCODING) == 0;
	if (!t->doc || !t->root || syntax) {
		zg_diags_append(d, &before);
		zg_diags_release(&before);
		return fail(t, ZG_RECORD_REFUSED,
			    _("%s cannot be edited until it parses as a ledger; fix the errors above first"),
			    t->path);
	}
	zg_diags_release(&before);
	zg_editor_init(&t->ed, t->buf, t->len, &t->arena);
	if (!zg_edit_layout_known(&t->ed, t->root))
		return fail(t, ZG_RECORD_REFUSED,
			    _("%s uses a layout zg-add does not edit (an explicit '?' key, or a block scalar with an indentation indicator such as '|2'); nothing was written; make the change by hand"),
			    t->path);
	return ZG_RECORD_OK;
}

/* A refused or failed change takes back the evidence it brought in. */
static void remove_copied(struct txn *t)
{
	for (size_t i = 0; i < t->ncopied; i++)
		unlink(t->copied[i]);
	/* Only folders left empty go: rmdir refuses the others. */
	for (size_t i = t->nmade; i-- > 0;)
		rmdir(t->made[i]);
}

static void end(struct txn *t)
{
	for (size_t i = 0; i < t->ncopied; i++)
		free(t->copied[i]);
	free(t->copied);
	for (size_t i = 0; i < t->nmade; i++)
		free(t->made[i]);
	zg_editor_release(&t->ed);
	zg_arena_release(&t->arena);
	free(t->buf);
	free(t->path);
	if (t->lock_fd >= 0)
		close(t->lock_fd);	/* releases the lock */
}

static int fsync_dir_of(const char *path)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		strcpy(dir, ".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/*
 * Writes buf to path through a temporary file in the same folder, so a
 * reader sees the old file or the new one, never half of one.
 */
static int write_atomically(const char *path, const char *buf, size_t len,
			    mode_t mode)
{
	char tmp[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int n = slash ? snprintf(tmp, sizeof tmp, "%.*s/.%s.XXXXXX",
				 (int)(slash - path), path, slash + 1)
		      : snprintf(tmp, sizeof tmp, ".%s.XXXXXX", path);
	if (n < 0 || n >= (int)sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = mkstemp(tmp);
	if (fd < 0)
		return -1;
	int e = zg_write_all(fd, buf, len);
	if (e)
		close(fd);
	else
		e = zg_finish_file(fd, mode);
	if (!e && rename(tmp, path) != 0)
		e = errno;
	if (e) {
		unlink(tmp);
		errno = e;
		return -1;
	}
	fsync_dir_of(path);
	return 0;
}

/*
 * Puts a side file back as it was before this change wrote it; 0, or the
 * errno of the failure (then both files are as the change left them).
 */
static int restore_side(const struct side_file *f)
{
	if (!f->old)
		return unlink(f->path) == 0 || errno == ENOENT ? 0 : errno;
	return write_atomically(f->path, f->old, f->old_len, f->mode) == 0 ? 0 : errno;
}

/* Writes the side file (if any), then the ledger; undoes the first on failure. */
static enum zg_record_result write_change(struct txn *t, const char *next,
					  size_t len)
{
	struct side_file *f = t->side;
	if (f && write_atomically(f->path, f->next, f->next_len, f->mode) != 0)
		return fail(t, ZG_RECORD_FAILED, _("cannot write %s: %s"), f->path,
			    strerror(errno));
	if (write_atomically(t->path, next, len, t->mode) == 0)
		return ZG_RECORD_OK;
	int e = errno;
	int undo = f ? restore_side(f) : 0;
	if (undo)
		return fail(t, ZG_RECORD_FAILED,
			    _("cannot write %s: %s; and %s, already written, could not be put back (%s): remove the entry of this change from it by hand"),
			    t->path, strerror(e), f->path, strerror(undo));
	return fail(t, ZG_RECORD_FAILED, _("cannot write %s: %s"), t->path,
		    strerror(e));
}

static enum zg_record_result commit(struct txn *t)
{
	char *next;
	size_t len;
	/* A value short of a part for want of memory is never written. */
	if (t->arena.failed) {
		remove_copied(t);
		return fail(t, ZG_RECORD_FAILED, "%s", _("out of memory"));
	}
	if (zg_editor_apply(&t->ed, &next, &len) != 0) {
		remove_copied(t);
		if (t->ed.unsafe)
			return fail(t, ZG_RECORD_REFUSED,
				    _("%s has no place where this change can be written without breaking the file; nothing was written; edit it by hand"),
				    t->path);
		return fail(t, ZG_RECORD_FAILED, "%s",
			    t->ed.oom ? _("out of memory")
				      : _("the change touches one place twice and cannot be made; edit the ledger by hand"));
	}
	/* The result must parse and type no worse than the ledger did. */
	struct zg_arena arena = ZG_ARENA_INIT;
	struct zg_diags after;
	zg_diags_init(&after);
	struct zg_node *root;
	struct zg_ledger_doc *doc;
	size_t errors = loader_errors(&arena, t->path, next, len, &root, &doc,
				      &after);
	enum zg_record_result r = ZG_RECORD_OK;
	bool broken = false;
	for (size_t i = 0; i < after.n; i++)
		broken |= strcmp(after.v[i].rule, ZG_RULE_SYNTAX) == 0;
	if (after.oom || arena.failed) {
		r = fail(t, ZG_RECORD_FAILED, "%s", _("out of memory"));
	} else if (broken) {
		/* The ledger parsed before: the splice met a layout (an
		 * explicit key, an indentation indicator …) it does not know.
		 * Errors at the places of a text never written would mislead. */
		r = fail(t, ZG_RECORD_REFUSED,
			 _("%s has no place where this change can be written without breaking the file; nothing was written; edit it by hand"),
			 t->path);
	} else if (!doc || errors > t->errors_before) {
		zg_diags_append(t->d, &after);
		r = fail(t, ZG_RECORD_REFUSED,
			 _("the change would add errors to %s (above, as they would be); nothing was written"),
			 t->path);
	} else {
		r = write_change(t, next, len);
	}
	if (r != ZG_RECORD_OK)
		remove_copied(t);
	zg_diags_release(&after);
	zg_arena_release(&arena);
	free(next);
	return r;
}

/*
 * New text must not carry a citizen's contact details: they belong in
 * private/contacts.yaml only.  Returns true (and sets the refusal) when
 * text holds a mobile number, an ID-card number or an e-mail address.
 */
static bool personal_data(struct zg_record_out *out, const char *what,
			  const char *text)
{
	struct zg_pii pii;
	if (!text || !zg_pii_find(text, 0, &pii))
		return false;
	char masked[256];
	zg_pii_mask_one(text, &pii, masked, sizeof masked);
	snprintf(out->err.message, sizeof out->err.message,
		 _("%s holds %s (%s); citizens' contact details go only to private/contacts.yaml (zg-add item --contact); nothing was written"),
		 what, zg_pii_kind_name(pii.kind), masked);
	return true;
}

static bool item_personal_data(const struct zg_item_spec *s,
			       struct zg_record_out *out)
{
	for (size_t i = 0; i < s->nsuggestions; i++)
		if (personal_data(out, "--suggestion", s->suggestions[i].text))
			return true;
	for (size_t i = 0; i < s->nsteps; i++)
		if (personal_data(out, "--step", s->steps[i].text))
			return true;
	const struct { const char *what, *text; } fields[] = {
		{ "--group", s->group }, { "--investigation", s->investigation },
		{ "--goal", s->goal }, { "--task", s->task },
		{ "--standard", s->standard }, { "--stage-target", s->stage_target },
		{ "--outcome", s->outcome }, { "--explanation", s->explanation },
		{ "--cause", s->cause },
	};
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		if (personal_data(out, fields[i].what, fields[i].text))
			return true;
	return false;
}

/* ---- finding things ---- */

static const struct zg_item *find_item(struct txn *t, const char *id)
{
	for (size_t i = 0; i < t->doc->nitems; i++) {
		const char *it = zg_item_id(&t->doc->items[i]);
		if (it && strcmp(it, id) == 0)
			return &t->doc->items[i];
	}
	return NULL;
}

static enum zg_record_result begin_item(struct txn *t,
					const struct zg_project *p,
					const char *id, struct zg_diags *d,
					struct zg_record_out *out,
					const struct zg_item **it)
{
	char code[40];
	*it = NULL;
	if (!zg_record_unit_of(id, code, sizeof code)) {
		memset(t, 0, sizeof *t);
		t->out = out;
		t->lock_fd = -1;
		zg_arena_init(&t->arena);
		return fail(t, ZG_RECORD_FAILED,
			    _("'%s' is not an item id (unit-NNN, e.g. zjj-001)"),
			    id);
	}
	enum zg_record_result r = begin(t, p, code, d, out);
	if (r != ZG_RECORD_OK)
		return r;
	if (!t->existed || !(*it = find_item(t, id)))
		return fail(t, ZG_RECORD_REFUSED, _("no item '%s' in %s"), id,
			    t->path);
	return ZG_RECORD_OK;
}

/* ---- values ---- */

static struct zg_value *date_value(struct zg_arena *a, struct zg_date d)
{
	char buf[11];
	zg_date_format(d, buf);
	return zg_value_raw(a, buf);
}

/* Whole numbers as integers, others with all the digits they need. */
static struct zg_value *number_value(struct zg_arena *a, double x)
{
	char buf[40];
	if (x == (double)(long long)x && x > -1e15 && x < 1e15)
		snprintf(buf, sizeof buf, "%lld", (long long)x);
	else
		snprintf(buf, sizeof buf, "%.15g", x);
	return zg_value_raw(a, buf);
}

static bool given(struct zg_date d)
{
	return d.year != 0;
}

/* ---- item ---- */

static long id_number(const char *id, const char *code)
{
	size_t n = strlen(code);
	if (strncmp(id, code, n) != 0 || id[n] != '-')
		return -1;
	const char *digits = id + n + 1;
	if (!*digits || strspn(digits, "0123456789") != strlen(digits) ||
	    strlen(digits) > 9)
		return -1;
	return strtol(digits, NULL, 10);
}

static struct zg_value *item_value(struct zg_arena *a,
				   const struct zg_item_spec *s, const char *id)
{
	struct zg_value *it = zg_value_map(a, false);
	struct zg_value *sugg = zg_value_list(a, false);
	if (!it || !sugg)
		return NULL;
	int rc = zg_value_add(a, it, "id", zg_value_raw(a, id));
	rc |= zg_value_add(a, it, "category",
			   zg_value_raw(a, zg_category_names[s->category]));
	for (size_t i = 0; i < s->nsuggestions; i++) {
		const struct zg_suggestion_spec *g = &s->suggestions[i];
		if (g->no > 0) {
			struct zg_value *m = zg_value_map(a, true);
			rc |= zg_value_add(a, m, "no", number_value(a, (double)g->no));
			rc |= zg_value_add_text(a, m, "text", g->text);
			rc |= zg_value_add(a, sugg, NULL, m);
		} else {
			rc |= zg_value_add(a, sugg, NULL, zg_value_scalar(a, g->text));
		}
	}
	rc |= zg_value_add(a, it, "suggestions", sugg);
	rc |= zg_value_add_text(a, it, "group", s->group);
	if (given(s->received))
		rc |= zg_value_add(a, it, "received", date_value(a, s->received));
	rc |= zg_value_add_text(a, it, "investigation", s->investigation);
	rc |= zg_value_add_text(a, it, "verdict", s->verdict);
	if (s->category == ZG_CONSTRUCTIVE) {
		struct zg_value *plan = zg_value_map(a, false);
		rc |= zg_value_add_text(a, plan, "goal", s->goal);
		rc |= zg_value_add_text(a, plan, "task", s->task);
		rc |= zg_value_add_text(a, plan, "standard", s->standard);
		if (s->nsteps) {
			struct zg_value *road = zg_value_list(a, false);
			for (size_t i = 0; i < s->nsteps; i++) {
				struct zg_value *st = zg_value_map(a, true);
				rc |= zg_value_add(a, st, "due", date_value(a, s->steps[i].due));
				rc |= zg_value_add_text(a, st, "step", s->steps[i].text);
				rc |= zg_value_add(a, road, NULL, st);
			}
			rc |= zg_value_add(a, plan, "roadmap", road);
		}
		if (given(s->start))
			rc |= zg_value_add(a, plan, "start", date_value(a, s->start));
		if (given(s->due))
			rc |= zg_value_add(a, plan, "due", date_value(a, s->due));
		rc |= zg_value_add_text(a, plan, "stage_target", s->stage_target);
		if (s->leader || s->owner_unit || s->person) {
			struct zg_value *owner = zg_value_map(a, true);
			rc |= zg_value_add_text(a, owner, "leader", s->leader);
			rc |= zg_value_add_text(a, owner, "unit", s->owner_unit);
			rc |= zg_value_add_text(a, owner, "person", s->person);
			rc |= zg_value_add(a, plan, "owner", owner);
		}
		rc |= zg_value_add_text(a, plan, "outcome", s->outcome);
		if (plan && plan->n)
			rc |= zg_value_add(a, it, "plan", plan);
	} else {
		rc |= zg_value_add_text(a, it, "explanation", s->explanation);
		rc |= zg_value_add_text(a, it, "cause", s->cause);
	}
	rc |= zg_value_add(a, it, "status", zg_value_raw(a, "not_started"));
	return rc ? NULL : it;
}

/* ---- contacts: private/contacts.yaml, 0600 in a 0700 folder ---- */

/*
 * Reads private/contacts.yaml into f and *root (NULL: absent, or only
 * comments).  With need false (an item without contacts) a file that
 * cannot be read is no reason to refuse, and *root stays NULL.
 */
static enum zg_record_result read_contacts(struct txn *t, struct side_file *f,
					   struct zg_node **root, bool need)
{
	*root = NULL;
	f->mode = 0600;
	f->path = zg_project_path(t->p, "private/contacts.yaml");
	if (!f->path)
		return fail(t, ZG_RECORD_FAILED, "%s", _("out of memory"));
	int e = zg_read_file(f->path, &f->old, &f->old_len);
	if (e == ENOENT || (e && !need))
		return ZG_RECORD_OK;
	if (e)
		return fail(t, ZG_RECORD_FAILED, _("cannot read %s: %s"), f->path,
			    strerror(e));
	struct zg_diags d;
	zg_diags_init(&d);
	int parsed = zg_tree_parse(&t->arena, f->path, f->old, f->old_len, root, &d);
	bool oom = d.oom;
	zg_diags_release(&d);
	if (oom)
		return fail(t, ZG_RECORD_FAILED, "%s", _("out of memory"));
	if (parsed != 0 || (*root && (*root)->kind != ZG_MAPPING)) {
		*root = NULL;
		if (need)
			return fail(t, ZG_RECORD_REFUSED,
				    _("%s is not a mapping of item ids; fix it by hand first"),
				    f->path);
	}
	return ZG_RECORD_OK;
}

/*
 * Computes f->next: f's bytes with the contacts of item id added, by the
 * same splices as a ledger's, and checked to read back.
 */
static enum zg_record_result edit_contacts(struct txn *t, struct side_file *f,
					   struct zg_node *root, const char *id,
					   const struct zg_item_spec *s)
{
	struct zg_arena *a = &t->arena;
	f->dir = zg_project_path(t->p, "private");
	if (!f->dir)
		return fail(t, ZG_RECORD_FAILED, "%s", _("out of memory"));
	if (mkdir(f->dir, 0700) == 0)
		f->made_dir = true;
	else if (errno != EEXIST)
		return fail(t, ZG_RECORD_FAILED, _("cannot make %s: %s"), f->dir,
			    strerror(errno));
	const char *text = f->old;
	size_t len = f->old_len;
	if (!text) {
		text = "# 群众联系方式（保密）。只在本机保存，不进 git，不进任何报表。\n";
		len = strlen(text);
	}
	struct zg_editor ed;
	zg_editor_init(&ed, text, len, a);
	struct zg_value *list = zg_value_list(a, false);
	for (size_t i = 0; i < s->ncontacts; i++) {
		struct zg_value *c = zg_value_map(a, true);
		zg_value_add_text(a, c, "name", s->contacts[i].name);
		/* The emitter quotes a number, so "0772…" stays text. */
		zg_value_add_text(a, c, "phone", s->contacts[i].phone);
		zg_value_add(a, list, NULL, c);
	}
	int rc = a->failed;
	if (rc) {
		/* nothing more to build on */
	} else if (root) {
		/* A new id: higher than every key here (zg_record_item). */
		rc = zg_edit_map_set(&ed, root, id, list);
	} else {
		/* A file of comments only gets its first key as a block. */
		char *key = zg_arena_printf(a, "%s:\n", id);
		rc = !key || zg_edit_append_raw(&ed, key);
		for (size_t i = 0; i < list->n && !rc; i++) {
			char *flowed = zg_value_render_flow(a, list->items[i]);
			char *line = flowed ? zg_arena_printf(a, "  - %s\n", flowed) : NULL;
			rc = !line || zg_edit_append_raw(&ed, line);
		}
	}
	rc = rc || zg_editor_apply(&ed, &f->next, &f->next_len);
	bool oom = ed.oom || a->failed;
	zg_editor_release(&ed);
	if (rc)
		return fail(t, ZG_RECORD_FAILED, _("cannot add the contact to %s: %s"),
			    f->path, oom ? _("out of memory") : _("it could not be edited"));
	/* The same care as for a ledger: what is written must read back. */
	struct zg_arena check = ZG_ARENA_INIT;
	struct zg_diags cd;
	zg_diags_init(&cd);
	struct zg_node *croot = NULL;
	bool readable = zg_tree_parse(&check, f->path, f->next, f->next_len,
				      &croot, &cd) == 0 &&
			croot && croot->kind == ZG_MAPPING && cd.errors == 0;
	oom = cd.oom || check.failed;
	zg_diags_release(&cd);
	zg_arena_release(&check);
	if (!readable)
		return fail(t, ZG_RECORD_FAILED, _("cannot add the contact to %s: %s"),
			    f->path, oom ? _("out of memory") : _("the change would not read back"));
	return ZG_RECORD_OK;
}

static void release_side(struct side_file *f)
{
	free(f->path);
	free(f->old);
	free(f->next);
	free(f->dir);
}

enum zg_record_result zg_record_item(const struct zg_project *p,
				     const struct zg_item_spec *s,
				     struct zg_diags *d,
				     struct zg_record_out *out)
{
	memset(out, 0, sizeof *out);
	if (item_personal_data(s, out))
		return ZG_RECORD_REFUSED;
	struct txn t;
	struct side_file contacts = { 0 };
	enum zg_record_result r = begin(&t, p, s->unit, d, out);
	struct zg_node *croot = NULL;
	if (r == ZG_RECORD_OK)
		r = read_contacts(&t, &contacts, &croot, s->ncontacts > 0);
	if (r == ZG_RECORD_OK) {
		/*
		 * The contacts are written first: a crash between the two
		 * renames leaves contacts under an id no item has, and counting
		 * their ids too means no later item inherits them.
		 */
		long max = 0;
		for (size_t i = 0; i < t.doc->nitems; i++) {
			const char *id = zg_item_id(&t.doc->items[i]);
			long n = id ? id_number(id, t.code) : -1;
			if (n > max)
				max = n;
		}
		for (size_t i = 0; croot && i < croot->n; i++) {
			const struct zg_node *k = croot->pairs[i].key;
			long n = k->kind == ZG_SCALAR ? id_number(k->text, t.code) : -1;
			if (n > max)
				max = n;
		}
		snprintf(out->id, sizeof out->id, "%s-%03ld", t.code, max + 1);
		struct zg_value *v = item_value(&t.arena, s, out->id);
		if (!v || zg_edit_list_append(&t.ed, t.root, "items", v) != 0)
			r = fail(&t, v ? ZG_RECORD_REFUSED : ZG_RECORD_FAILED,
				 v ? _("cannot add an item to %s: 'items' is not a list")
				   : _("out of memory"),
				 t.path);
		else if (s->ncontacts)
			r = edit_contacts(&t, &contacts, croot, out->id, s);
		if (r == ZG_RECORD_OK) {
			t.side = s->ncontacts ? &contacts : NULL;
			r = commit(&t);
		}
		/* The folder of private data is kept closed, whoever made it. */
		if (r == ZG_RECORD_OK && contacts.next)
			chmod(contacts.dir, 0700);
		else if (contacts.made_dir)
			rmdir(contacts.dir);
	}
	end(&t);
	release_side(&contacts);
	return r;
}

/* ---- evidence ---- */

/*
 * Copies from into a new temporary file in dir, hashing the bytes as they
 * are written, so that the recorded sha256 is the copy's own even if the
 * source changes meanwhile; a file of any size streams through.
 */
static int copy_hashing(const char *from, const char *dir, char *tmp,
			size_t tmp_size, char hex[static ZG_SHA256_HEX + 1])
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return errno;
	snprintf(tmp, tmp_size, "%s/.copy.XXXXXX", dir);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		int e = errno;
		close(in);
		return e;
	}
	struct zg_sha256 h;
	zg_sha256_begin(&h);
	char buf[1 << 16];
	int e = 0;
	for (;;) {
		ssize_t n = read(in, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = errno;
			break;
		}
		if (n == 0)
			break;
		zg_sha256_add(&h, buf, (size_t)n);
		if ((e = zg_write_all(fd, buf, (size_t)n)) != 0)
			break;
	}
	close(in);
	if (e)
		close(fd);
	else
		e = zg_finish_file(fd, 0644);
	if (e)
		unlink(tmp);
	else
		zg_sha256_end(&h, hex);
	return e;
}

/* dir/name for k == 1, dir/stem-k.ext after. */
static void variant(char *out, size_t size, const char *dir, const char *name,
		    int k)
{
	const char *dot = strrchr(name, '.');
	if (!dot || dot == name)
		dot = name + strlen(name);
	if (k == 1)
		snprintf(out, size, "%s/%s", dir, name);
	else
		snprintf(out, size, "%s/%.*s-%d%s", dir, (int)(dot - name), name,
			 k, dot);
}

/* Makes one folder, remembering it so that a failed change removes it. */
static int make_dir(struct txn *t, const char *path)
{
	if (t->nmade == sizeof t->made / sizeof t->made[0])
		return mkdir(path, 0755) != 0 && errno != EEXIST ? errno : 0;
	char *copy = strdup(path);
	if (!copy)
		return ENOMEM;
	if (mkdir(path, 0755) != 0) {
		int e = errno;
		free(copy);
		return e == EEXIST ? 0 : e;
	}
	t->made[t->nmade++] = copy;
	return 0;
}

/* evidence/ and evidence/ID under the project, as needed. */
static int make_evidence_dirs(struct txn *t, const char *dir)
{
	char parent[PATH_MAX];
	snprintf(parent, sizeof parent, "%s", dir);
	char *slash = strrchr(parent, '/');
	if (slash) {
		*slash = '\0';
		int e = make_dir(t, parent);
		if (e)
			return e;
	}
	return make_dir(t, dir);
}

/*
 * Brings one evidence file in: the same content already there (under its
 * name or a -N variant) is reused, anything else gets a name of its own;
 * link() never replaces, so an existing file is never written over.
 * *rel is the path to record, hex the copy's sha256.
 */
static enum zg_record_result bring_evidence(struct txn *t, const char *id,
					    const char *src, char **rel,
					    char hex[static ZG_SHA256_HEX + 1])
{
	struct stat st;
	if (stat(src, &st) != 0)
		return fail(t, ZG_RECORD_FAILED, _("cannot read evidence %s: %s"),
			    src, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return fail(t, ZG_RECORD_FAILED, _("evidence %s is not a file"), src);
	const char *base = strrchr(src, '/');
	base = base ? base + 1 : src;
	/* A name that would hide the file is not kept: no leading dots. */
	base += strspn(base, ".");
	char name[NAME_MAX + 1];
	snprintf(name, sizeof name, "%s", *base ? base : "evidence");
	char reldir[128];
	snprintf(reldir, sizeof reldir, "evidence/%s", id);
	char *dir = zg_project_path(t->p, reldir);
	if (!dir)
		return fail(t, ZG_RECORD_FAILED, "%s", _("out of memory"));
	/* Room to remember the copy, before there is one to forget. */
	char **v = realloc(t->copied, (t->ncopied + 1) * sizeof *v);
	if (!v) {
		free(dir);
		return fail(t, ZG_RECORD_FAILED, "%s", _("out of memory"));
	}
	t->copied = v;
	int e = make_evidence_dirs(t, dir);
	char tmp[PATH_MAX];
	if (!e)
		e = copy_hashing(src, dir, tmp, sizeof tmp, hex);
	if (e) {
		free(dir);
		return fail(t, ZG_RECORD_FAILED, _("cannot copy evidence %s: %s"),
			    src, strerror(e));
	}
	char path[PATH_MAX];
	bool reused = false, placed = false;
	/* The same bytes already here, under any of the names? */
	for (int k = 1; k < 1000 && !reused; k++) {
		char old[ZG_SHA256_HEX + 1];
		variant(path, sizeof path, dir, name, k);
		if (access(path, F_OK) != 0) {
			if (k > 1)
				break;	/* the variants are numbered without gaps */
			continue;
		}
		reused = zg_sha256_file(path, old) == 0 && strcmp(old, hex) == 0;
	}
	for (int k = 1; k < 1000 && !reused && !placed; k++) {
		variant(path, sizeof path, dir, name, k);
		if (link(tmp, path) == 0)
			placed = true;
		else if (errno != EEXIST)
			break;
	}
	e = reused || placed ? 0 : errno ? errno : EEXIST;
	unlink(tmp);
	if (placed) {
		t->copied[t->ncopied] = strdup(path);
		if (!t->copied[t->ncopied]) {
			unlink(path);
			e = ENOMEM;
		} else {
			t->ncopied++;
			int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (dfd >= 0) {
				fsync(dfd);
				close(dfd);
			}
		}
	}
	free(dir);
	if (e)
		return fail(t, ZG_RECORD_FAILED, _("cannot copy evidence %s: %s"),
			    src, strerror(e));
	*rel = zg_arena_printf(&t->arena, "%s/%s", reldir, strrchr(path, '/') + 1);
	return *rel ? ZG_RECORD_OK
		    : fail(t, ZG_RECORD_FAILED, "%s", _("out of memory"));
}

enum zg_record_result zg_record_progress(const struct zg_project *p,
					 const struct zg_progress_spec *s,
					 struct zg_diags *d,
					 struct zg_record_out *out)
{
	memset(out, 0, sizeof *out);
	if (personal_data(out, "--note", s->note))
		return ZG_RECORD_REFUSED;
	struct txn t;
	const struct zg_item *it;
	enum zg_record_result r = begin_item(&t, p, s->id, d, out, &it);
	struct zg_arena *a = &t.arena;
	struct zg_value *entry = NULL, *list = NULL;
	if (r != ZG_RECORD_OK)
		goto done;
	if (s->step) {
		const struct zg_plan *plan = it->plan;
		if (!plan || s->step > plan->nroadmap) {
			r = fail(&t, ZG_RECORD_REFUSED,
				 _("%s has no roadmap step %zu"), s->id, s->step);
			goto done;
		}
		const struct zg_step *step = &plan->roadmap[s->step - 1];
		if (step->done.node) {
			r = fail(&t, ZG_RECORD_REFUSED,
				 _("step %zu of %s is already marked done (%s)"),
				 s->step, s->id, step->done.node->text);
			goto done;
		}
		if (zg_node_get(step->node, "done") &&
		    !zg_node_is_null(zg_node_get(step->node, "done"))) {
			r = fail(&t, ZG_RECORD_REFUSED,
				 _("step %zu of %s has a 'done' that is not a date; fix it by hand first"),
				 s->step, s->id);
			goto done;
		}
		struct zg_value *when = date_value(a, s->date);
		if (!when) {
			r = fail(&t, ZG_RECORD_FAILED, "%s", _("out of memory"));
			goto done;
		}
		if (zg_edit_map_set(&t.ed, step->node, "done", when) != 0) {
			r = fail(&t, ZG_RECORD_REFUSED,
				 _("cannot mark step %zu of %s done"), s->step, s->id);
			goto done;
		}
	}
	entry = zg_value_map(a, false);
	list = zg_value_list(a, false);
	zg_value_add(a, entry, "date", date_value(a, s->date));
	zg_value_add_text(a, entry, "note", s->note);
	for (size_t i = 0; i < s->nevidence; i++) {
		char *rel;
		char hex[ZG_SHA256_HEX + 1];
		r = bring_evidence(&t, s->id, s->evidence[i].path, &rel, hex);
		if (r != ZG_RECORD_OK) {
			remove_copied(&t);
			goto done;
		}
		struct zg_value *ev = zg_value_map(a, true);
		zg_value_add_text(a, ev, "file", rel);
		if (s->evidence[i].kind >= 0)
			zg_value_add(a, ev, "kind",
				     zg_value_raw(a, zg_evidence_kind_names[s->evidence[i].kind]));
		zg_value_add(a, ev, "sha256", zg_value_raw(a, hex));
		zg_value_add(a, list, NULL, ev);
	}
	if (list && list->n)
		zg_value_add(a, entry, "evidence", list);
	if (!entry || zg_edit_list_append(&t.ed, it->node, "progress", entry) != 0) {
		remove_copied(&t);
		r = fail(&t, entry ? ZG_RECORD_REFUSED : ZG_RECORD_FAILED,
			 _("cannot add progress to %s: its 'progress' is not a list"),
			 s->id);
		goto done;
	}
	r = commit(&t);
done:
	end(&t);
	return r;
}

/* ---- status, submit, publish, verify, amend ---- */

static int set(struct txn *t, const struct zg_item *it, const char *key,
	       struct zg_value *v)
{
	return v ? zg_edit_map_set(&t->ed, it->node, key, v) : -1;
}

enum zg_record_result zg_record_status(const struct zg_project *p,
				       const char *id, int status,
				       struct zg_date date, const char *result,
				       double satisfaction, struct zg_diags *d,
				       struct zg_record_out *out)
{
	memset(out, 0, sizeof *out);
	if (personal_data(out, "--result", result))
		return ZG_RECORD_REFUSED;
	struct txn t;
	const struct zg_item *it;
	enum zg_record_result r = begin_item(&t, p, id, d, out, &it);
	if (r == ZG_RECORD_OK) {
		struct zg_arena *a = &t.arena;
		int rc = set(&t, it, "status", zg_value_raw(a, zg_status_names[status]));
		if ((status == ZG_DONE || status == ZG_CLOSED) && !it->completed.node)
			rc |= set(&t, it, "completed", date_value(a, date));
		if (result)
			rc |= set(&t, it, "result", zg_value_scalar(a, result));
		if (satisfaction >= 0)
			rc |= set(&t, it, "satisfaction", number_value(a, satisfaction));
		r = rc ? fail(&t, ZG_RECORD_REFUSED,
			      _("cannot change %s: a field holds a list or mapping where a value belongs"),
			      id)
		       : commit(&t);
	}
	end(&t);
	return r;
}

/* The items one operation applies to: one id, or all of a unit. */
typedef enum zg_record_result (*item_op)(struct txn *t,
					 const struct zg_item *it,
					 const void *arg, bool one);

static enum zg_record_result for_items(const struct zg_project *p,
				       const char *id, const char *unit,
				       item_op op, const void *arg,
				       struct zg_diags *d,
				       struct zg_record_out *out)
{
	memset(out, 0, sizeof *out);
	struct txn t;
	enum zg_record_result r;
	if (id) {
		const struct zg_item *it;
		r = begin_item(&t, p, id, d, out, &it);
		if (r == ZG_RECORD_OK)
			r = op(&t, it, arg, true);
		if (r == ZG_RECORD_OK) {
			out->changed = 1;
			r = commit(&t);
		}
	} else {
		r = begin(&t, p, unit, d, out);
		for (size_t i = 0; r == ZG_RECORD_OK && i < t.doc->nitems; i++) {
			/* An item skipped takes back any splice it made. */
			size_t mark = t.ed.n;
			bool unsafe = t.ed.unsafe;
			enum zg_record_result k = op(&t, &t.doc->items[i], arg, false);
			if (k == ZG_RECORD_OK) {
				out->changed++;
			} else if (k == ZG_RECORD_REFUSED) {
				t.ed.n = mark;
				t.ed.unsafe = unsafe;
			} else {
				r = k;
			}
		}
		if (r == ZG_RECORD_OK && out->changed)
			r = commit(&t);
		/* Items skipped on the way (already done) are no failure. */
		if (r == ZG_RECORD_OK)
			out->err.message[0] = '\0';
	}
	end(&t);
	return r;
}

static enum zg_record_result submit_one(struct txn *t, const struct zg_item *it,
					const void *arg, bool one)
{
	const struct zg_date *date = arg;
	const char *id = zg_item_id(it);
	/* Written in any shape: refused before a single splice is made. */
	const struct zg_node *written = zg_node_get(it->node, "submitted");
	if (it->submitted.node || (written && !zg_node_is_null(written)))
		return one ? fail(t, ZG_RECORD_REFUSED,
				  _("%s was already submitted (%s); a submitted plan changes only with zg-add amend"),
				  id, it->submitted.node ? it->submitted.node->text : "?")
			   : ZG_RECORD_REFUSED;
	if (it->category.value == ZG_CONSTRUCTIVE && !it->plan)
		return fail(t, ZG_RECORD_REFUSED,
			    _("%s has no plan to submit; write its plan first"),
			    id ? id : "?");
	/* The digest first: it can fail for want of memory alone. */
	char digest[ZG_PLAN_DIGEST_SIZE];
	bool constructive = it->category.value == ZG_CONSTRUCTIVE;
	if (constructive && zg_plan_digest(it->plan, digest) != 0)
		return fail(t, ZG_RECORD_FAILED, "%s", _("out of memory"));
	int rc = set(t, it, "submitted", date_value(&t->arena, *date));
	if (constructive)
		rc |= set(t, it, "plan_digest", zg_value_raw(&t->arena, digest));
	return rc ? fail(t, ZG_RECORD_REFUSED,
			 _("cannot change %s: a field holds a list or mapping where a value belongs"), id)
		  : ZG_RECORD_OK;
}

enum zg_record_result zg_record_submit(const struct zg_project *p,
				       const char *id, const char *unit,
				       struct zg_date date, struct zg_diags *d,
				       struct zg_record_out *out)
{
	return for_items(p, id, unit, submit_one, &date, d, out);
}

struct publish_arg {
	const char *where;
	struct zg_date date;
};

static enum zg_record_result publish_one(struct txn *t, const struct zg_item *it,
					 const void *arg, bool one)
{
	const struct publish_arg *pa = arg;
	const char *id = zg_item_id(it);
	if (it->published || (zg_node_get(it->node, "published") &&
			      !zg_node_is_null(zg_node_get(it->node, "published"))))
		return one ? fail(t, ZG_RECORD_REFUSED,
				  _("%s was already published"), id)
			   : ZG_RECORD_REFUSED;
	struct zg_arena *a = &t->arena;
	struct zg_value *v = zg_value_map(a, true);
	zg_value_add(a, v, "date", date_value(a, pa->date));
	zg_value_add_text(a, v, "where", pa->where);
	return set(t, it, "published", v)
		       ? fail(t, ZG_RECORD_REFUSED,
			      _("cannot change %s: a field holds a list or mapping where a value belongs"), id)
		       : ZG_RECORD_OK;
}

enum zg_record_result zg_record_publish(const struct zg_project *p,
					const char *id, const char *unit,
					const char *where, struct zg_date date,
					struct zg_diags *d,
					struct zg_record_out *out)
{
	if (personal_data(out, "--where", where)) {
		out->changed = 0;
		out->id[0] = '\0';
		return ZG_RECORD_REFUSED;
	}
	struct publish_arg pa = { where, date };
	return for_items(p, id, unit, publish_one, &pa, d, out);
}

enum zg_record_result zg_record_verify(const struct zg_project *p,
				       const char *id, const char *by,
				       double score, struct zg_date date,
				       struct zg_diags *d,
				       struct zg_record_out *out)
{
	memset(out, 0, sizeof *out);
	struct txn t;
	const struct zg_item *it;
	enum zg_record_result r = begin_item(&t, p, id, d, out, &it);
	if (r == ZG_RECORD_OK && (it->verification ||
				  (zg_node_get(it->node, "verification") &&
				   !zg_node_is_null(zg_node_get(it->node, "verification")))))
		r = fail(&t, ZG_RECORD_REFUSED, _("%s was already verified"), id);
	else if (r == ZG_RECORD_OK && !it->completed.node)
		r = fail(&t, ZG_RECORD_REFUSED,
			 _("%s is not completed; record its completion first (zg-add status %s done)"),
			 id, id);
	if (r == ZG_RECORD_OK) {
		struct zg_arena *a = &t.arena;
		struct zg_value *v = zg_value_map(a, true);
		zg_value_add(a, v, "date", date_value(a, date));
		zg_value_add_text(a, v, "by", by);
		zg_value_add(a, v, "score", number_value(a, score));
		int rc = set(&t, it, "verification", v);
		rc |= set(&t, it, "status", zg_value_raw(a, "closed"));
		r = rc ? fail(&t, ZG_RECORD_REFUSED,
			      _("cannot change %s: a field holds a list or mapping where a value belongs"), id)
		       : commit(&t);
	}
	end(&t);
	return r;
}

enum zg_record_result zg_record_amend(const struct zg_project *p,
				      const char *id, const char *reason,
				      const char *approved_by,
				      struct zg_date date, struct zg_diags *d,
				      struct zg_record_out *out)
{
	memset(out, 0, sizeof *out);
	if (personal_data(out, "--reason", reason))
		return ZG_RECORD_REFUSED;
	struct txn t;
	const struct zg_item *it;
	enum zg_record_result r = begin_item(&t, p, id, d, out, &it);
	if (r == ZG_RECORD_OK && (!it->plan || !it->plan_digest))
		r = fail(&t, ZG_RECORD_REFUSED,
			 _("%s has no submitted plan to amend (no plan_digest); submit it first"),
			 id);
	if (r == ZG_RECORD_OK) {
		struct zg_arena *a = &t.arena;
		struct zg_value *v = zg_value_map(a, true);
		zg_value_add(a, v, "date", date_value(a, date));
		zg_value_add_text(a, v, "reason", reason);
		zg_value_add_text(a, v, "approved_by", approved_by);
		char digest[ZG_PLAN_DIGEST_SIZE];
		if (zg_plan_digest(it->plan, digest) != 0) {
			r = fail(&t, ZG_RECORD_FAILED, "%s", _("out of memory"));
		} else {
			int rc = zg_edit_list_append(&t.ed, it->node, "amendments", v);
			rc |= set(&t, it, "plan_digest", zg_value_raw(a, digest));
			r = rc ? fail(&t, ZG_RECORD_REFUSED,
				      _("cannot change %s: a field holds a list or mapping where a value belongs"), id)
			       : commit(&t);
		}
	}
	end(&t);
	return r;
}
