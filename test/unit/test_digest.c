/*
 * test_digest.c - SHA-256 of data and files, and the canonical plan text
 * whose digest locks a submitted plan (原则上不允许修改): blind to how the
 * plan is written, sensitive to every value in it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zg/digest.h"
#include "zg/load.h"
#include "zg/tree.h"

/* ---- SHA-256 ---- */

static void test_sha256_vectors(void **state)
{
	(void)state;
	char hex[ZG_SHA256_HEX + 1];
	/* FIPS 180-2 / NIST vectors. */
	zg_sha256_hex("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	zg_sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	zg_sha256_hex(two, strlen(two), hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* The length counts, not a NUL: "abc" and its first two bytes differ. */
	zg_sha256_hex("abc", 2, hex);
	assert_string_not_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static char tmp[64];

static int make_tmp(void **state)
{
	(void)state;
	snprintf(tmp, sizeof tmp, "/tmp/zg-test-digest-XXXXXX");
	assert_non_null(mkdtemp(tmp));
	return 0;
}

static int remove_tmp(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static void test_sha256_file(void **state)
{
	(void)state;
	char path[128], hex[ZG_SHA256_HEX + 1], want[ZG_SHA256_HEX + 1];
	snprintf(path, sizeof path, "%s/abc.txt", tmp);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs("abc", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(zg_sha256_file(path, hex), 0);
	zg_sha256_hex("abc", 3, want);
	assert_string_equal(hex, want);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

	/* An empty file. */
	snprintf(path, sizeof path, "%s/empty", tmp);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(zg_sha256_file(path, hex), 0);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

	/* A million 'a' (NIST), larger than one read. */
	snprintf(path, sizeof path, "%s/million", tmp);
	f = fopen(path, "wb");
	assert_non_null(f);
	for (int i = 0; i < 1000000; i++)
		fputc('a', f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(zg_sha256_file(path, hex), 0);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");

	snprintf(path, sizeof path, "%s/missing.pdf", tmp);
	assert_int_equal(zg_sha256_file(path, hex), ENOENT);
	assert_int_equal(zg_sha256_file(tmp, hex), EISDIR);
}

/* ---- the canonical plan ---- */

struct doc {
	struct zg_arena arena;
	struct zg_diags diags;
	struct zg_node *root;
	struct zg_ledger_doc *ledger;
};

static struct doc *load(const char *text)
{
	struct doc *d = calloc(1, sizeof *d);
	assert_non_null(d);
	zg_arena_init(&d->arena);
	zg_diags_init(&d->diags);
	assert_int_equal(zg_tree_parse(&d->arena, "t.yaml", text, strlen(text),
				       &d->root, &d->diags), 0);
	d->ledger = zg_load_ledger(&d->arena, "t.yaml", d->root, &d->diags);
	assert_non_null(d->ledger);
	if (d->diags.n)
		fail_msg("unexpected finding at %u:%u: %s", d->diags.v[0].line,
			 d->diags.v[0].column, d->diags.v[0].message);
	assert_int_equal(d->ledger->nitems, 1);
	assert_non_null(d->ledger->items[0].plan);
	return d;
}

static void unload(struct doc *d)
{
	zg_diags_release(&d->diags);
	zg_arena_release(&d->arena);
	free(d);
}

static const struct zg_plan *plan_of(const struct doc *d)
{
	return d->ledger->items[0].plan;
}

static char *canonical_of(const char *yaml)
{
	struct doc *d = load(yaml);
	char *c = zg_plan_canonical(plan_of(d));
	assert_non_null(c);
	unload(d);
	return c;
}

static void digest_of(const char *yaml, char out[ZG_PLAN_DIGEST_SIZE])
{
	struct doc *d = load(yaml);
	assert_int_equal(zg_plan_digest(plan_of(d), out), 0);
	unload(d);
}

static const char base[] =
	"unit: zjj\n"
	"items:\n"
	"  - id: zjj-001\n"
	"    category: constructive\n"
	"    suggestions: [县城部分老旧小区雨天积水严重，希望改造排水管网。]\n"
	"    plan:\n"
	"      goal: 消除老旧小区雨天积水\n"
	"      task: 改造排水管网 3.2 公里\n"
	"      standard: 雨后两小时内路面无积水\n"
	"      roadmap:\n"
	"        - {due: 2018-08-15, step: 完成勘察设计}\n"
	"        - {due: 2018-11-15, step: 完工验收}\n"
	"      start: 2018-07-01\n"
	"      due: 2018-11-15\n"
	"      stage_target: 完成一期工程\n"
	"      owner: {leader: 李某 副局长, unit: 县住建局城建股, person: 王某}\n"
	"      outcome: 竣工验收报告、整改前后对比照片\n"
	"    status: in_progress\n";

/* Written down from the format: a header, then PATH=VALUE lines. */
static const char base_canonical[] =
	"zg-plan-1\n"
	"goal=消除老旧小区雨天积水\n"
	"task=改造排水管网 3.2 公里\n"
	"standard=雨后两小时内路面无积水\n"
	"start=2018-07-01\n"
	"due=2018-11-15\n"
	"stage_target=完成一期工程\n"
	"outcome=竣工验收报告、整改前后对比照片\n"
	"owner.leader=李某 副局长\n"
	"owner.unit=县住建局城建股\n"
	"owner.person=王某\n"
	"roadmap.1.due=2018-08-15\n"
	"roadmap.1.step=完成勘察设计\n"
	"roadmap.2.due=2018-11-15\n"
	"roadmap.2.step=完工验收\n";

/* sha256 of base_canonical, computed outside zg (Python's hashlib). */
static const char base_digest[] =
	"sha256:73c58d1f526e7eb2080513b6879298811ad7c354272a9ddec7519f64c9503569";

static void test_canonical_text(void **state)
{
	(void)state;
	char *c = canonical_of(base);
	assert_string_equal(c, base_canonical);
	free(c);
}

static void test_digest_format(void **state)
{
	(void)state;
	char digest[ZG_PLAN_DIGEST_SIZE], hex[ZG_SHA256_HEX + 1];
	digest_of(base, digest);
	assert_int_equal(strlen(digest), 71);
	assert_memory_equal(digest, "sha256:", 7);
	for (size_t i = 7; i < 71; i++)
		assert_non_null(strchr("0123456789abcdef", digest[i]));
	/* It is the SHA-256 of the canonical text. */
	zg_sha256_hex(base_canonical, strlen(base_canonical), hex);
	assert_string_equal(digest + 7, hex);
	assert_string_equal(digest, base_digest);
}

static void test_canonical_sparse_plan(void **state)
{
	(void)state;
	/* Absent and blank values give no line; the header is always there. */
	char *c = canonical_of(
		"unit: zjj\n"
		"items:\n"
		"  - id: zjj-001\n"
		"    category: constructive\n"
		"    suggestions: [a]\n"
		"    plan:\n"
		"      goal: '  '\n"
		"      task: 修路灯 20 盏\n"
		"      roadmap:\n"
		"        - {step: 采购}\n"
		"        - {due: 2018-09-01}\n"
		"      owner: {person: 王某}\n"
		"    status: in_progress\n");
	assert_string_equal(c,
		"zg-plan-1\n"
		"task=修路灯 20 盏\n"
		"owner.person=王某\n"
		"roadmap.1.step=采购\n"
		"roadmap.2.due=2018-09-01\n");
	free(c);
}

static void test_canonical_escapes(void **state)
{
	(void)state;
	char *c = canonical_of(
		"unit: zjj\n"
		"items:\n"
		"  - id: zjj-001\n"
		"    category: constructive\n"
		"    suggestions: [a]\n"
		"    plan:\n"
		"      goal: |\n"
		"        第一行\n"
		"        第二行\t制表\\反斜杠\n"
		"      task: \"一\\r二\"\n"
		"    status: in_progress\n");
	assert_string_equal(c,
		"zg-plan-1\n"
		"goal=第一行\\n第二行\\t制表\\\\反斜杠\n"
		"task=一\\r二\n");
	free(c);
}

static void expect_same(const char *yaml)
{
	char a[ZG_PLAN_DIGEST_SIZE], b[ZG_PLAN_DIGEST_SIZE];
	digest_of(base, a);
	digest_of(yaml, b);
	if (strcmp(a, b) != 0) {
		char *c = canonical_of(yaml);
		fail_msg("digest changed; canonical text:\n%s", c);
	}
}

static void test_digest_blind_to_form(void **state)
{
	(void)state;
	/* Comments, quoting, indentation, key order, flow/block, trailing
	 * blanks, and a step marked done. */
	expect_same(
		"# 县住建局整改台账\n"
		"unit: zjj\n"
		"items:\n"
		"    - id: zjj-001   # 第一项\n"
		"      category: constructive\n"
		"      suggestions:\n"
		"          - 县城部分老旧小区雨天积水严重，希望改造排水管网。\n"
		"      status: in_progress\n"
		"      plan:   \n"
		"          # 方案\n"
		"          outcome: \"竣工验收报告、整改前后对比照片\"\n"
		"          owner:\n"
		"              person: '王某'\n"
		"              unit: 县住建局城建股   \n"
		"              leader: \"李某 副局长\"\n"
		"          stage_target: '完成一期工程'\n"
		"          due: '2018-11-15'\n"
		"          start: \"2018-07-01\"\n"
		"          roadmap:\n"
		"              - step: 完成勘察设计\n"
		"                due: 2018-08-15\n"
		"                done: 2018-08-14\n"
		"              - {step: '完工验收', due: \"2018-11-15\", done: 2018-11-12}\n"
		"          standard: >-\n"
		"              雨后两小时内路面无积水\n"
		"          task: 改造排水管网 3.2 公里\n"
		"          goal: |\n"
		"              消除老旧小区雨天积水\n");
	/* The whole plan as one flow mapping. */
	expect_same(
		"unit: zjj\n"
		"items:\n"
		"  - id: zjj-001\n"
		"    category: constructive\n"
		"    suggestions: [县城部分老旧小区雨天积水严重，希望改造排水管网。]\n"
		"    plan: {goal: 消除老旧小区雨天积水, task: 改造排水管网 3.2 公里,\n"
		"      standard: 雨后两小时内路面无积水, roadmap: [{due: 2018-08-15, step: 完成勘察设计},\n"
		"      {due: 2018-11-15, step: 完工验收}], start: 2018-07-01, due: 2018-11-15,\n"
		"      stage_target: 完成一期工程, owner: {leader: 李某 副局长, unit: 县住建局城建股, person: 王某},\n"
		"      outcome: 竣工验收报告、整改前后对比照片}\n"
		"    status: in_progress\n");
	/* Blanks around a quoted value. */
	expect_same(
		"unit: zjj\n"
		"items:\n"
		"  - id: zjj-001\n"
		"    category: constructive\n"
		"    suggestions: [县城部分老旧小区雨天积水严重，希望改造排水管网。]\n"
		"    plan:\n"
		"      goal: \" 消除老旧小区雨天积水\\t\"\n"
		"      task: '改造排水管网 3.2 公里  '\n"
		"      standard: 雨后两小时内路面无积水\n"
		"      roadmap:\n"
		"        - {due: 2018-08-15, step: 完成勘察设计}\n"
		"        - {due: 2018-11-15, step: \"完工验收\\n\"}\n"
		"      start: 2018-07-01\n"
		"      due: 2018-11-15\n"
		"      stage_target: 完成一期工程\n"
		"      owner: {leader: 李某 副局长, unit: 县住建局城建股, person: 王某}\n"
		"      outcome: 竣工验收报告、整改前后对比照片\n"
		"    status: in_progress\n");
	/* What is outside the plan is not the plan. */
	expect_same(
		"unit: zjj\n"
		"items:\n"
		"  - id: zjj-001\n"
		"    category: constructive\n"
		"    suggestions: [另一条意见]\n"
		"    received: 2018-06-20\n"
		"    plan:\n"
		"      goal: 消除老旧小区雨天积水\n"
		"      task: 改造排水管网 3.2 公里\n"
		"      standard: 雨后两小时内路面无积水\n"
		"      roadmap:\n"
		"        - {due: 2018-08-15, step: 完成勘察设计}\n"
		"        - {due: 2018-11-15, step: 完工验收}\n"
		"      start: 2018-07-01\n"
		"      due: 2018-11-15\n"
		"      stage_target: 完成一期工程\n"
		"      owner: {leader: 李某 副局长, unit: 县住建局城建股, person: 王某}\n"
		"      outcome: 竣工验收报告、整改前后对比照片\n"
		"    status: done\n"
		"    completed: 2018-11-12\n");
}

/* base with its only occurrence of from replaced by to. */
static char *mutate(const char *from, const char *to)
{
	const char *at = strstr(base, from);
	if (!at)
		fail_msg("'%s' is not in the base plan", from);
	if (strstr(at + 1, from))
		fail_msg("'%s' is not unique in the base plan", from);
	size_t n = strlen(base) - strlen(from) + strlen(to) + 1;
	char *s = malloc(n);
	assert_non_null(s);
	snprintf(s, n, "%.*s%s%s", (int)(at - base), base, to, at + strlen(from));
	return s;
}

static void test_digest_sees_every_value(void **state)
{
	(void)state;
	static const struct {
		const char *from, *to;
	} changes[] = {
		{ "goal: 消除老旧小区雨天积水", "goal: 消除老旧小区积水" },
		{ "3.2 公里", "3.0 公里" },
		{ "standard: 雨后两小时内", "standard: 雨后三小时内" },
		{ "start: 2018-07-01", "start: 2018-07-02" },
		{ "\n      due: 2018-11-15", "\n      due: 2018-11-14" },
		{ "完成一期工程", "完成二期工程" },
		{ "竣工验收报告、整改前后对比照片", "竣工验收报告" },
		{ "李某 副局长", "张某 副局长" },
		{ "县住建局城建股", "县住建局村镇股" },
		{ "person: 王某", "person: 赵某" },
		{ "{due: 2018-08-15", "{due: 2018-08-16" },
		{ "step: 完成勘察设计", "step: 完成勘察" },
		{ "step: 完工验收", "step: 竣工验收" },
		/* Adding a step, removing one, swapping two. */
		{ "        - {due: 2018-11-15, step: 完工验收}\n",
		  "        - {due: 2018-10-15, step: 主体完工}\n"
		  "        - {due: 2018-11-15, step: 完工验收}\n" },
		{ "        - {due: 2018-08-15, step: 完成勘察设计}\n", "" },
		{ "        - {due: 2018-08-15, step: 完成勘察设计}\n"
		  "        - {due: 2018-11-15, step: 完工验收}\n",
		  "        - {due: 2018-11-15, step: 完工验收}\n"
		  "        - {due: 2018-08-15, step: 完成勘察设计}\n" },
		/* Removing a value; blanking one. */
		{ "      stage_target: 完成一期工程\n", "" },
		{ "person: 王某", "person: ' '" },
		/* A value moved to another field. */
		{ "goal: 消除老旧小区雨天积水\n      task: 改造排水管网 3.2 公里",
		  "goal: 改造排水管网 3.2 公里\n      task: 消除老旧小区雨天积水" },
		/* A newline in one value must not pass for the next field. */
		{ "goal: 消除老旧小区雨天积水\n      task: 改造排水管网 3.2 公里",
		  "goal: \"消除老旧小区雨天积水\\ntask=改造排水管网 3.2 公里\"" },
		/* Inner whitespace is part of the value. */
		{ "3.2 公里", "3.2  公里" },
	};
	char a[ZG_PLAN_DIGEST_SIZE], b[ZG_PLAN_DIGEST_SIZE];
	digest_of(base, a);
	for (size_t i = 0; i < sizeof changes / sizeof *changes; i++) {
		char *yaml = mutate(changes[i].from, changes[i].to);
		digest_of(yaml, b);
		if (strcmp(a, b) == 0)
			fail_msg("change %zu ('%s' -> '%s') kept the digest", i,
				 changes[i].from, changes[i].to);
		free(yaml);
	}
}

/* The worked example of docs/format.md, whose digest sha256sum gives. */
static void test_documented_example(void **state)
{
	(void)state;
	static const char example[] =
		"unit: zjj\n"
		"items:\n"
		"  - id: zjj-001\n"
		"    category: constructive\n"
		"    suggestions: [县城老旧小区雨天积水严重]\n"
		"    plan:\n"
		"      goal: 11月15日前消除11个老旧小区的23处积水点\n"
		"      task: 改造排水管网3.2公里      # 量化的工作任务\n"
		"      standard: \"中雨后30分钟内排干积水\"\n"
		"      roadmap:\n"
		"        - {due: 2018-08-15, step: 完成勘察设计, done: 2018-08-13}\n"
		"        - due: 2018-11-15\n"
		"          step: 完工验收\n"
		"      start: 2018-07-12\n"
		"      due: 2018-11-15\n"
		"      owner: {leader: 覃某某 副局长, unit: 县住建局城建股, person: 王某}\n"
		"      outcome: |\n"
		"        竣工验收报告\n"
		"        整改前后对比照片\n"
		"    submitted: 2018-07-05\n"
		"    plan_digest: sha256:d8f1eae85f32f45222434b1012ce12a9b4cebfd417430d519d8d2c8a8ae71a5c\n"
		"    status: in_progress\n";
	char digest[ZG_PLAN_DIGEST_SIZE];
	digest_of(example, digest);
	assert_string_equal(digest,
		"sha256:d8f1eae85f32f45222434b1012ce12a9b4cebfd417430d519d8d2c8a8ae71a5c");
	char *c = canonical_of(example);
	assert_non_null(strstr(c, "\noutcome=竣工验收报告\\n整改前后对比照片\n"));
	free(c);
}

/* base with every LF made CRLF. */
static void test_digest_blind_to_crlf(void **state)
{
	(void)state;
	char crlf[sizeof base * 2];
	size_t n = 0;
	for (const char *p = base; *p; p++) {
		if (*p == '\n')
			crlf[n++] = '\r';
		crlf[n++] = *p;
	}
	crlf[n] = '\0';
	expect_same(crlf);
}

static void test_canonical_keeps_other_blanks(void **state)
{
	(void)state;
	/* The ideographic space is not trimmed: it is part of the value. */
	char *yaml = mutate("person: 王某", "person: \"王某\u3000\"");
	char *c = canonical_of(yaml);
	assert_non_null(strstr(c, "\nowner.person=王某\u3000\n"));
	free(c);
	free(yaml);
}

static void test_step_numbering(void **state)
{
	(void)state;
	/* A mapping step with neither due nor step keeps its number; a
	 * refused bare-text entry does not count. */
	struct zg_arena arena;
	struct zg_diags diags;
	struct zg_node *root;
	zg_arena_init(&arena);
	zg_diags_init(&diags);
	const char *text =
		"unit: zjj\n"
		"items:\n"
		"  - id: zjj-001\n"
		"    category: constructive\n"
		"    suggestions: [a]\n"
		"    plan:\n"
		"      roadmap:\n"
		"        - {done: 2018-08-01}\n"
		"        - 勘察\n"
		"        - {due: 2018-09-01, step: 施工}\n"
		"    status: in_progress\n";
	assert_int_equal(zg_tree_parse(&arena, "t.yaml", text, strlen(text), &root,
				       &diags), 0);
	struct zg_ledger_doc *doc = zg_load_ledger(&arena, "t.yaml", root, &diags);
	assert_non_null(doc);
	assert_int_equal(diags.n, 1);	/* the bare text, a type finding */
	char *c = zg_plan_canonical(doc->items[0].plan);
	assert_non_null(c);
	assert_string_equal(c,
		"zg-plan-1\n"
		"roadmap.2.due=2018-09-01\n"
		"roadmap.2.step=施工\n");
	free(c);
	zg_diags_release(&diags);
	zg_arena_release(&arena);
}

/* ---- plans built in memory, and a slow file ---- */

static struct zg_node text_node(const char *text)
{
	struct zg_node n;
	memset(&n, 0, sizeof n);
	n.kind = ZG_SCALAR;
	n.text = text;
	n.len = strlen(text);
	return n;
}

static void test_canonical_of_plan_in_memory(void **state)
{
	(void)state;
	/*
	 * A plan put together by a caller rather than loaded: blank values
	 * (spaces, tabs, CR, LF only) give no line at all, as absent ones
	 * do, and blanks around a value do not count.
	 */
	struct zg_node goal = text_node(" \r\n\t "), task = text_node("\r修路灯\r"),
		       standard = text_node(""), outcome = text_node("\t\r\n");
	struct zg_node leader = text_node("李某\r副局长");
	struct zg_owner owner;
	memset(&owner, 0, sizeof owner);
	owner.leader = &leader;
	struct zg_plan plan;
	memset(&plan, 0, sizeof plan);
	plan.goal = &goal;
	plan.task = &task;
	plan.standard = &standard;
	plan.outcome = &outcome;
	plan.owner = &owner;
	char *c = zg_plan_canonical(&plan);
	assert_non_null(c);
	assert_string_equal(c, "zg-plan-1\ntask=修路灯\nowner.leader=李某\\r副局长\n");
	free(c);

	/* Nothing but blanks: the header line alone, and its digest. */
	plan.task = &goal;
	plan.owner = NULL;
	c = zg_plan_canonical(&plan);
	assert_string_equal(c, "zg-plan-1\n");
	char digest[ZG_PLAN_DIGEST_SIZE], want[ZG_SHA256_HEX + 1];
	assert_int_equal(zg_plan_digest(&plan, digest), 0);
	zg_sha256_hex(c, strlen(c), want);
	assert_int_equal(strncmp(digest, "sha256:", 7), 0);
	assert_string_equal(digest + 7, want);
	free(c);
}

static volatile sig_atomic_t ticks;

static void on_alarm(int sig)
{
	(void)sig;
	ticks++;
}

static void test_sha256_of_slow_file(void **state)
{
	(void)state;
	/*
	 * Evidence read from a FIFO whose writer takes its time, while a
	 * timer interrupts the reads: the digest is still the content's.
	 */
	char path[128];
	snprintf(path, sizeof path, "%s/fifo", tmp);
	assert_int_equal(mkfifo(path, 0600), 0);
	int w = open(path, O_RDWR);
	assert_true(w >= 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		usleep(100000);
		ssize_t r = write(w, "abc", 3);
		exit(r == 3 ? 0 : 1);
	}
	close(w);
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
	struct itimerval it = { { 0, 2000 }, { 0, 2000 } }, off = { { 0, 0 }, { 0, 0 } };
	ticks = 0;
	assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
	char hex[ZG_SHA256_HEX + 1];
	int e = zg_sha256_file(path, hex);
	assert_int_equal(setitimer(ITIMER_REAL, &off, NULL), 0);
	assert_int_equal(sigaction(SIGALRM, &old, NULL), 0);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(e, 0);
	assert_true(ticks > 0);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_vectors),
		cmocka_unit_test_setup_teardown(test_sha256_file, make_tmp, remove_tmp),
		cmocka_unit_test(test_canonical_text),
		cmocka_unit_test(test_digest_format),
		cmocka_unit_test(test_canonical_sparse_plan),
		cmocka_unit_test(test_canonical_escapes),
		cmocka_unit_test(test_digest_blind_to_form),
		cmocka_unit_test(test_digest_sees_every_value),
		cmocka_unit_test(test_documented_example),
		cmocka_unit_test(test_digest_blind_to_crlf),
		cmocka_unit_test(test_canonical_keeps_other_blanks),
		cmocka_unit_test(test_step_numbering),
		cmocka_unit_test(test_canonical_of_plan_in_memory),
		cmocka_unit_test_setup_teardown(test_sha256_of_slow_file, make_tmp, remove_tmp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
