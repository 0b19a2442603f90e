/*
 * project.h - a zg project on disk: zg.yaml, ledgers/, evidence/, private/.
 *
 * Finding the project (as git finds .git), reading zg.yaml and the ledgers
 * into their typed records, and the checks that need more than one file:
 * a ledger's unit against zg.yaml and its file name (rule "unit"), item
 * ids against their unit and each other (rule "id").
 */
#ifndef ZG_PROJECT_H
#define ZG_PROJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zg/arena.h"
#include "zg/diag.h"
#include "zg/model.h"
#include "zg/tree.h"

#define ZG_RULE_ID "id"
#define ZG_RULE_UNIT "unit"
#define ZG_RULE_IO "io"

/* Largest file zg reads; a ledger is a few hundred KiB at most. */
#define ZG_MAX_FILE_SIZE ((size_t)256 << 20)

/* A problem that stops a command before any finding (exit status 2). */
struct zg_error {
	char message[1024];
};

/*
 * A unit of zg.yaml as the project keeps it once zg.yaml is checked: its
 * texts and the place of its code, not its nodes, so that what a command
 * keeps for the whole run stays small however many units there are.
 */
struct zg_unit_entry {
	const char *code;	/* NULL when absent or not a text */
	const char *name;	/* NULL when absent or not a text */
	int kind;		/* enum zg_unit_kind, -1 when absent or unknown */
	unsigned line, column;	/* of the code, or of the entry without one */
	bool repeat;		/* the code was declared before: the first counts */
};

struct zg_ledger {
	char *path;			/* display path, as printed */
	char *code;			/* the file name without .yaml */
	char *buf;			/* the file's bytes, NUL-terminated */
	size_t len;
	struct zg_arena arena;		/* tree and records */
	struct zg_node *root;		/* NULL when it did not parse */
	struct zg_ledger_doc *doc;	/* NULL when not a ledger at all */
	const struct zg_unit_entry *unit;	/* its declared unit, or NULL */
	size_t order;			/* the unit's place in zg.yaml */
	size_t load_errors;		/* findings of the loader's rules */
};

struct zg_project {
	char *root;			/* display prefix: "." or as given */
	char *config_path;
	struct zg_arena arena;		/* what is kept of zg.yaml */
	/*
	 * zg.yaml's header (zg, county, office, evaluation_year, deadlines).
	 * Its nodes keep their text and marks but no children: the tree is
	 * freed once typed and checked.  config->units is NULL; the units
	 * are in units[].
	 */
	struct zg_config *config;
	struct zg_unit_entry *units;	/* in zg.yaml's order (malloc'd) */
	size_t nunits, units_cap;
	uint32_t *unit_slots;		/* a hash of codes: index + 1 of the first */
	size_t unit_cap;
	struct zg_ledger *ledgers;	/* in unit order of zg.yaml */
	size_t nledgers;
};

/*
 * Finds the project root: dir when given (-C), else $ZG_DIR, else the
 * nearest folder upwards from the working directory that holds zg.yaml.
 * On success *root is a malloc'd display prefix ("." , "..", or dir as
 * given) and 0 is returned; otherwise -1 and err says why.
 */
int zg_project_locate(const char *dir, char **root, struct zg_error *err);

/* Joins the display root and a project-relative path (malloc'd). */
char *zg_project_path(const struct zg_project *p, const char *rel);

/*
 * Reads zg.yaml under root (which the project takes a copy of).  Findings
 * go to diags.  Returns 0 when the configuration could be typed (it may
 * still have findings), -1 when it cannot be used at all (err says why;
 * the findings that explain it are in diags).
 */
int zg_project_open(struct zg_project *p, const char *root,
		    struct zg_diags *diags, struct zg_error *err);

/*
 * As zg_project_open, with zg.yaml's bytes given (buf[0..len), which are
 * not kept) and named config_path in findings.
 */
int zg_project_open_text(struct zg_project *p, const char *root,
			 const char *config_path, const char *buf, size_t len,
			 struct zg_diags *diags, struct zg_error *err);

/*
 * Loads the ledgers of the units named in units[0..nunits) (codes of
 * zg.yaml), or every ledgers/<code>.yaml when nunits is 0, and runs the
 * cross-file checks.  A file that cannot be read is a finding of rule
 * "io".  Returns 0, or -1 when a named unit is not declared (err says
 * which) or memory ran out.
 */
int zg_project_load_ledgers(struct zg_project *p, const char *const *units,
			    size_t nunits, struct zg_diags *diags,
			    struct zg_error *err);

/*
 * The codes of the ledgers to read, in the order every command shows
 * them (zg.yaml's units, then undeclared files by name): those of units
 * (all declared, checked; only those whose file exists), or of every
 * ledgers/<code>.yaml.  *codes is NULL-terminated, freed with
 * zg_project_codes_free.  Returns 0, or -1 with err set.
 */
int zg_project_ledger_codes(const struct zg_project *p,
			    const char *const *units, size_t nunits,
			    char ***codes, size_t *n, struct zg_error *err);
void zg_project_codes_free(char **codes);

/*
 * Reads and types one ledger, with the checks that need only it and
 * zg.yaml (unit, id form).  Returns 0 (findings in diags; an unreadable
 * file is a finding of rule "io"), 1 when the file does not exist, -1 on
 * out of memory.  Release l with zg_ledger_release in every case.
 * Safe to call from several threads on one project.
 */
int zg_ledger_open(const struct zg_project *p, const char *code,
		   struct zg_ledger *l, struct zg_diags *diags);
void zg_ledger_release(struct zg_ledger *l);

/* The id-form checks of zg_ledger_open, for a ledger built otherwise. */
void zg_ledger_check_ids(const struct zg_ledger *l, struct zg_diags *diags);

/*
 * Every item id seen: the project-wide duplicate check, in memory flat in
 * the number of ledgers.  An id is <code>-<number>; call the part before
 * its last '-' its prefix.  Ledger codes are unique, so an id whose prefix
 * is its own ledger's code (an own id) can be in another ledger only
 * where that one has it with a foreign prefix, which is already a finding
 * of rule "id".  So the index keeps, for the whole run, only the foreign
 * ids (each an 8-byte slot: a 32-bit hash of its text and the number of
 * its ledger), and the ids of the ledger being added.  Neither text nor
 * place is kept: when hashes meet, the caller's find says whether that
 * ledger holds the id and where it is first; a foreign id is also looked
 * for in the earlier ledger its prefix names.
 */
struct zg_id_first {
	const char *file;
	unsigned line, column;
};

/*
 * The first place of id in ledger number ledger (one given to
 * zg_id_index_add before, or the one being added): 1 and *out filled,
 * 0 when that ledger has no such id, -1 on failure (out of memory).
 */
typedef int (*zg_id_find)(void *ctx, size_t ledger, const char *id,
			  struct zg_id_first *out);

/*
 * The number of the ledger whose code is code[0..len) (not NUL-
 * terminated), or SIZE_MAX when there is none.
 */
typedef size_t (*zg_id_owner)(void *ctx, const char *code, size_t len);

struct zg_id_index {
	uint64_t *slots;	/* foreign ids: hash << 32 | (ledger + 1) */
	size_t cap, n;
	uint64_t *local;	/* every id of the ledger being added */
	size_t local_cap, local_n, local_ledger;
	zg_id_find find;
	zg_id_owner owner;
	void *ctx;
};

/* The 32-bit hash the index keeps of an id. */
uint32_t zg_id_hash(const char *id);

void zg_id_index_init(struct zg_id_index *x, zg_id_find find,
		      zg_id_owner owner, void *ctx);
void zg_id_index_release(struct zg_id_index *x);

/*
 * Records id of ledger number ledger (whose code is code), found at
 * file:line:column, or adds a finding when it was seen before.  Feed
 * ledgers in display order, numbered from 0 upwards, and their ids in
 * file order; ledger is below UINT32_MAX.  Returns 0, or -1 on out of
 * memory (or when find failed).
 */
int zg_id_index_add(struct zg_id_index *x, size_t ledger, const char *code,
		    const char *id, const char *file, unsigned line,
		    unsigned column, struct zg_diags *d);

/* Warns of each wanted declared unit that has no ledger among codes. */
void zg_project_check_missing(const struct zg_project *p,
			      char *const *codes, size_t ncodes,
			      const char *const *units, size_t nunits,
			      struct zg_diags *diags);

/*
 * True when path is a symbolic link that leads out of the project (or to
 * nothing): zg neither reads nor writes through such a link.
 */
bool zg_project_link_out(const struct zg_project *p, const char *path);

/* The declared unit with this code (its first declaration), or NULL. */
const struct zg_unit_entry *zg_project_unit(const struct zg_project *p,
					    const char *code);

/* True when code is a valid unit code: [a-z0-9][a-z0-9_-]{0,31}. */
bool zg_unit_code_valid(const char *code);

/* Frees everything the project holds; p may be zeroed or NULL. */
void zg_project_release(struct zg_project *p);

/*
 * Reads a whole file into a malloc'd NUL-terminated buffer.  Returns 0,
 * or an errno value (EFBIG past ZG_MAX_FILE_SIZE).
 */
int zg_read_file(const char *path, char **buf, size_t *len);

/*
 * Writes all of buf to fd (again after a short write or EINTR).  Returns 0,
 * or an errno value (ENOSPC on a full disk).
 */
int zg_write_all(int fd, const void *buf, size_t len);

/*
 * Gives a freshly written file its mode, flushes it to disk and closes it
 * (always).  Returns 0, or the first errno value on the way.
 */
int zg_finish_file(int fd, unsigned mode);

#endif
