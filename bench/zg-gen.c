/*
 * zg-gen.c - a deterministic corpus generator for zg's benchmark.
 *
 *   zg-gen DIR --units N --items M --seed S [--force]
 *
 * writes a zg project into DIR: zg.yaml (the 2018 round's deadlines and N
 * units u0001, u0002, ... with Chinese names) and ledgers/<code>.yaml with M
 * rectification items each, in the shape and with the kind of Chinese text
 * of examples/luzhai/: every field of the ledger contract is used, in the
 * styles clerks write (flow and block mappings, bare and mapped entries,
 * literal and folded blocks, quoted values, comments). About one item in 200
 * carries a planned fault (a misspelt key, a day that does not exist, a
 * vague owner) so that zg-check has findings to print; they are listed, with
 * their lines, in DIR/zg-gen.txt. No evidence files are written, so the
 * evidence rules report every evidence path as missing: realistic load.
 *
 * The PRNG is splitmix64, seeded from --seed and the unit's number, so the
 * same arguments give byte-identical files on any machine, and the ledger of
 * unit k does not depend on N. Text comes from phrase tables (roads,
 * drainage, schools, social insurance, wages, pollution, water, street
 * lights, markets, clinics, refuse, buses, housing, services, elderly care,
 * irrigation) with numbers and place names drawn from the PRNG.
 *
 * Plans of submitted items carry plan_digest, the SHA-256 of the canonical
 * plan text of docs/format.md, computed here with nettle, so that zg-check's
 * plan-locked rule does its full work (and finds nothing).
 */
/* Feature macros for a build outside CMake too (CMake defines them). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <dirent.h>
#include <unistd.h>

#define GEN_VERSION 2

/* ---------------------------------------------------------------- buffers */

struct buf {
	char *s;
	size_t len, cap;
};

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("zg-gen: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static void bput(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->s, cap);
		if (!p)
			die("out of memory");
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void bputs(struct buf *b, const char *s)
{
	bput(b, s, strlen(s));
}

static void bprintf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bprintf(struct buf *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp)
		die("internal error: a formatted piece is too long");
	bput(b, tmp, (size_t)n);
}

/* The line that the next byte written to b will be on (1-based). */
static unsigned line_of_end(const struct buf *b)
{
	unsigned line = 1;
	for (size_t i = 0; i < b->len; i++)
		line += b->s[i] == '\n';
	return line;
}

/* ------------------------------------------------------------------- PRNG */

struct rng {
	uint64_t s;
};

static uint64_t next64(struct rng *r)
{
	uint64_t z = (r->s += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static unsigned rnd(struct rng *r, unsigned n)
{
	return (unsigned)(next64(r) % n);
}

/* A number from lo to hi, both included. */
static int range(struct rng *r, int lo, int hi)
{
	return lo + (int)rnd(r, (unsigned)(hi - lo + 1));
}

/* True with a probability of pct percent. */
static bool chance(struct rng *r, unsigned pct)
{
	return rnd(r, 100) < pct;
}

static const char *pick(struct rng *r, const char *const *list, size_t n)
{
	return list[rnd(r, (unsigned)n)];
}
#define PICK(r, arr) pick((r), (arr), sizeof(arr) / sizeof((arr)[0]))

/* ------------------------------------------------------------------ dates */

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static long day_num(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static void date_str(long n, char out[static 11])
{
	int y, m, d;
	civil(n, &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

/* "11月15日", or "2019年6月30日" outside 2018. */
static void date_zh(long n, char *out, size_t cap)
{
	int y, m, d;
	civil(n, &y, &m, &d);
	if (y == 2018)
		snprintf(out, cap, "%d月%d日", m, d);
	else
		snprintf(out, cap, "%d年%d月%d日", y, m, d);
}

static long min_l(long a, long b) { return a < b ? a : b; }
static long max_l(long a, long b) { return a > b ? a : b; }

/* The round's dates; nothing that happened is later than LAST_EVENT, so
 * that `--as-of 2018-10-15` finds no "completed after as-of". */
#define D_RECEIVED  day_num(2018, 6, 25)
#define D_SUBMIT    day_num(2018, 7, 6)
#define D_PUBLICISE day_num(2018, 7, 11)
#define D_COMPLETE  day_num(2018, 11, 20)
#define LAST_EVENT  day_num(2018, 10, 14)

/* --------------------------------------------------------- phrase tables */

/*
 * Tokens in templates:
 *   @P a village or community (大坪村, 城东社区), @U the unit's name,
 *   @T a town (the unit itself when it is one),
 *   @a 2..9, @b 10..99, @c 100..999, @d 1000..9999, @f 1.2..9.8 (one decimal),
 *   @p 85..99, @Z the plan's due date and @S its start (11月15日),
 *   @R and @E the first and last day of the investigation.
 * Texts may hold no ASCII ',', ':', '#', '[', ']', '{', '}' so that they can
 * be written plain in flow and block context alike (check_plain enforces it).
 *
 * Determinism: C leaves the order in which a call's arguments are evaluated
 * unspecified, so no call may take two draws from the PRNG among its
 * arguments (gcc and clang would write different corpora); draw into locals.
 */
struct theme {
	const char *group;
	const char *tsec;          /* a town's station for this work */
	const char *sugg[4];
	const char *inv[3];
	const char *goal;
	const char *task;
	const char *standard;
	const char *steps[5];      /* in order; the last is the acceptance */
	const char *stage;         /* this year's stage target */
	const char *outcome;
	const char *notes[4];
	const char *result;
	const char *osugg[2];      /* suggestions of the other category */
	const char *explanation;
	const char *cause;
};

static const struct theme themes[] = {
	{ /* 0 roads */
		"村屯道路", "村镇规划建设站",
		{ "@P到镇上的路坑坑洼洼，下雨天泥泞难走，希望硬化。",
		  "通屯道路太窄，两车不能会车，农产品运不出去。",
		  "村里道路破损多年没人修，学生上学很不安全。",
		  "希望把@P的机耕路修成水泥路，方便群众生产生活。" },
		{ "经调查，@U辖区内尚有@b条通屯道路未硬化，总长约@f公里，其中@P至@P段破损最为严重，路面坑槽@c余处。",
		  "部分路段路基宽度不足4.5米，无错车道，雨季多处塌方，群众出行和农产品运输困难。",
		  "沿线涉及农户@c户、人口@d人，群众要求硬化的意愿强烈，并愿意投工投劳。" },
		"@Z前完成@P等@a个村屯道路硬化，消除路面坑槽，解决群众出行难问题。",
		"硬化村屯道路@f公里，增设错车道@b处，修复破损路面@d平方米",
		"路面宽度不小于4.5米，混凝土厚度不小于18厘米，路基稳定无塌方，竣工后路面平整无积水。",
		{ "完成线路勘测和施工图设计", "完成项目立项和资金筹措", "完成施工招标，确定施工单位",
		  "完成路基整修和路面浇筑", "组织交工验收" },
		"2018年11月20日前完成@P等@a个村屯道路硬化@f公里，其余路段列入2019年计划。",
		"交工验收报告、施工前后对比照片、工程进度台账",
		{ "完成线路勘测，形成设计方案并报审。", "召开村民代表会议，通过投工投劳方案。",
		  "已完成路基整修@f公里，路面浇筑完成总工程量的@b%。", "组织交通、财政等部门进行交工验收。" },
		"已硬化村屯道路@f公里，增设错车道@b处，沿线@c户群众出行条件明显改善。",
		{ "希望把@P通往县城的道路改建成一级公路。", "建议政府出资给每个自然屯都修通柏油路。" },
		"公路等级提升须纳入上级交通规划并由上级交通部门立项，县、乡两级无权自行审批；我单位已将群众意见整理上报，争取列入“十四五”前期项目库，并对现有道路加强日常养护。",
		"项目投资大，超出县级财政承受能力，且不符合现行公路建设规划和补助政策。" },
	{ /* 1 drainage */
		"城区排水", "村镇规划建设站",
		{ "@P一下大雨就水浸街，排水沟常年堵塞，群众出行不便。",
		  "老旧小区雨天积水严重，希望改造排水管网。",
		  "街道排水沟臭气熏天，蚊虫多，希望清疏加盖。",
		  "集镇雨污混流，污水直排河道，希望尽快整治。" },
		{ "@R至@E，@U会同@P对辖区排水设施逐段进行了实地调查，共排查排水管网@f公里、排水沟@b条。",
		  "经调查，积水点共@b处，主要原因：一是管网建于上世纪90年代，管径偏小；二是管道淤塞、破损，部分路段雨污合流；三是排水沟长期未清疏，淤泥厚度达@b厘米。",
		  "调查共走访住户@c户，发放调查问卷@c份，群众反映的问题基本属实。" },
		"@Z前完成@P排水管网改造和排水沟清疏，消除雨天积水点@b处。",
		"改造雨污排水管网@f公里，清疏排水沟渠@f公里，新建检查井@b座",
		"管网按雨污分流改造，管径不小于400毫米；遇中雨以上降雨，积水30分钟内排干；沟渠淤泥清理到底。",
		{ "完成勘察设计和施工图审查", "完成施工招标，确定施工单位", "完成沟渠清疏",
		  "完成管网铺设和检查井砌筑", "组织完工验收" },
		"2018年11月20日前完成积水最严重的@a处积水点改造，其余管网改造2019年完成。",
		"竣工验收报告、整改前后对比照片、施工进度台账",
		{ "完成调查摸底，形成排水情况调查报告。", "召开设计审查会，施工图通过审查。",
		  "已完成管网铺设@f公里、沟渠清疏@f公里，完成总工程量的@b%。", "组织完工验收，经中雨检验无积水。" },
		"共改造排水管网@f公里，清疏沟渠@f公里，@b处积水点全部消除，雨后积水30分钟内排干。",
		{ "希望政府把全县城的排水管网一次性全部换新。", "建议在@P建设大型地下排水隧道。" },
		"县城排水管网改造已纳入城市基础设施建设规划，按轻重缓急分年度实施；今年优先改造积水最严重的区域，群众所提全面换新的建议将在编制下一轮规划时统筹考虑。",
		"全面更换管网投资需数亿元，超出县级财政承受能力，且须与道路改造同步实施。" },
	{ /* 2 schools */
		"学校办学条件", "社会事务办",
		{ "@P小学教室拥挤，一个班七十多个学生，希望扩建。",
		  "学校食堂太小，学生排队打饭要半个小时。",
		  "村小学厕所是旱厕，又脏又臭，希望改造。",
		  "学校门口没有减速带和斑马线，上下学很危险。" },
		{ "经调查，@T中心小学现有学生@d人、教学班@b个，平均班额@b人，超过标准班额@b人；学校食堂面积仅@c平方米，无法满足就餐需要。",
		  "辖区@b所村小仍使用旱厕，卫生条件差；@a所学校门口未设置交通安全设施。",
		  "调查组走访家长@c人，召开教师座谈会@a场，群众反映的问题属实。" },
		"@Z前完成@T中心小学扩建和@a所村小厕所改造，消除大班额和旱厕。",
		"新建教学楼1栋@d平方米、食堂@c平方米，改造学校厕所@b座，设置校门口减速带@b处",
		"班额不超过45人，食堂满足全体学生同时就餐，厕所达到水冲式卫生厕所标准，校门口交通安全设施齐全。",
		{ "完成项目选址和设计", "完成施工招标", "完成主体工程施工",
		  "完成厕所改造和校门口设施安装", "组织竣工验收并投入使用" },
		"2018年11月20日前完成@a所村小厕所改造和校门口交通设施安装，教学楼主体完工。",
		"竣工验收报告、改造前后照片、学校班额统计表",
		{ "召开校长会议，部署改造工作。", "完成施工招标，确定施工单位并签订合同。",
		  "教学楼主体完成@b%，@a所村小厕所改造完工。", "组织教育、住建等部门进行竣工验收。" },
		"新增学位@c个，平均班额降至@b人，改造厕所@b座，@a所学校门口设置了减速带和斑马线。",
		{ "希望每个村都建一所完全小学。", "建议取消中心校寄宿制，让孩子都回村读书。" },
		"学校布局按照“小学就近入学、初中相对集中”的原则规划，生源不足的村屯保留教学点，由中心校统一管理；我局已将群众意见纳入学校布局调整规划，并完善校车接送服务。",
		"部分村屯适龄儿童少，单独建校师资和资金投入大、办学效益低，不符合学校布局规划。" },
	{ /* 3 social insurance */
		"社会保险", "劳动保障所",
		{ "城乡居民养老保险缴费太麻烦，要跑好几趟。",
		  "医保报销手续复杂，材料要交好几次。",
		  "希望在村里就能办理社保卡和养老金资格认证。",
		  "被征地农民的养老保险政策不清楚，没人解释。" },
		{ "经调查，@U辖区参加城乡居民养老保险@d人，@P等村群众办理缴费、认证业务平均需往返@a次。",
		  "部分经办人员业务不熟，一次性告知不到位；村级服务点只有@b个，未实现全覆盖。",
		  "共走访群众@c人，查阅业务档案@c份，群众反映的问题基本属实。" },
		"@Z前实现社保业务村级代办全覆盖，群众办理常见社保业务“最多跑一次”。",
		"建成村级社保服务点@b个，培训经办人员@c人次，印发办事指南@d份",
		"村级服务点能办理缴费、认证、查询等@b项业务，办事指南一次性告知，群众办事往返不超过1次。",
		{ "梳理社保经办事项清单", "印发办事指南并上墙公示", "完成村级服务点设备配置",
		  "开展经办人员业务培训", "组织检查验收" },
		"2018年11月20日前建成村级社保服务点@b个，其余服务点2019年建成。",
		"服务点建设台账、培训签到表和照片、办事指南",
		{ "梳理社保经办事项@b项，形成事项清单。", "印发办事指南@d份，在各服务点上墙公示。",
		  "举办经办人员培训班@a期，培训@c人次。", "组织检查组对服务点进行验收。" },
		"建成村级社保服务点@b个，群众办理常见社保业务平均往返次数由@a次降到1次。",
		{ "希望取消城乡居民养老保险个人缴费。", "建议养老金每年翻一番。" },
		"城乡居民养老保险缴费标准和待遇调整由国家和自治区统一规定，县级无权调整；我局已在各村公示缴费档次和待遇计算办法，并安排专人向提出建议的群众解释政策。",
		"养老保险缴费和待遇标准属上级政策，县级只能执行，不能自行变更。" },
	{ /* 4 wages */
		"农民工工资", "劳动保障所",
		{ "在工地干了半年活，老板拖欠工资不给。",
		  "建筑工程拖欠农民工工资，投诉后没人管。",
		  "希望劳动监察部门多到工地检查，保障我们的工资。",
		  "讨薪要跑很多部门，希望有一个地方统一受理。" },
		{ "经调查，2017年以来@U共受理欠薪投诉@b件，涉及农民工@c人、金额@c万元，已办结@b件。",
		  "部分在建项目未落实农民工工资专用账户和实名制管理，欠薪投诉办理周期平均@b天。",
		  "调查组抽查在建工程项目@b个，走访农民工@c人，群众反映的问题属实。" },
		"@Z前在建工程项目全部落实工资支付保障制度，欠薪投诉案件结案率达到@p%。",
		"检查在建工程项目@b个，落实工资专用账户@b个，办结欠薪案件@b件",
		"在建项目实名制管理和工资专户全覆盖，欠薪投诉5个工作日内受理答复，案件按期结案。",
		{ "开展在建项目工资支付情况摸底", "建立欠薪投诉统一受理窗口", "开展根治欠薪专项检查",
		  "督促企业补发拖欠工资", "组织专项检查总结验收" },
		"2018年11月20日前完成@b个在建项目专项检查，结清已查实欠薪。",
		"专项检查台账、案件办结统计表、工资发放凭证",
		{ "完成在建项目摸底，建立项目台账。", "设立欠薪投诉统一受理窗口并向社会公布电话。",
		  "开展专项检查@a次，督促@a家企业补发工资@c万元。", "召开根治欠薪工作会议，通报检查情况。" },
		"共检查在建项目@b个，追回拖欠工资@c万元，涉及农民工@c人，欠薪案件全部结案。",
		{ "希望政府先垫付所有被拖欠的工资。", "建议把欠薪老板全部抓起来。" },
		"工资支付的责任主体是用人单位，政府应急周转金只在特定情形下按程序使用；对恶意欠薪涉嫌犯罪的，依法移送公安机关处理。我局已向提出建议的群众说明维权途径和办理程序。",
		"政府垫付和刑事追责均有严格法定条件和程序，不能一概而论。" },
	{ /* 5 pollution */
		"环境污染", "环境卫生管理站",
		{ "@P附近的养猪场臭气熏天，污水直排进河里。",
		  "砖厂烟尘大，周边庄稼和房屋都蒙上了灰。",
		  "工厂晚上偷排废水，河里的鱼都死了。",
		  "石场放炮震得房子开裂，粉尘很大。" },
		{ "经调查，@P周边共有规模养殖场@a家、砖厂@a家，其中@a家养殖场未建设粪污处理设施，污水经排水沟直排入河。",
		  "环境监测数据显示，下游断面氨氮浓度超标@f倍；周边@c户群众反映异味和粉尘问题。",
		  "调查组现场检查@b次，采集水样@b份，群众反映的问题属实。" },
		"@Z前完成@P周边养殖场和砖厂污染整治，污水不直排，厂界粉尘达标。",
		"整治养殖场@a家、砖厂@a家，建设粪污处理池@b座，安装除尘设施@a套",
		"养殖粪污资源化利用率达到@p%以上，外排水质达标，厂界颗粒物浓度符合排放标准。",
		{ "完成污染源排查并建立台账", "下达限期整改通知书", "督促企业建设治污设施",
		  "开展整改情况复查监测", "组织整治验收" },
		"2018年11月20日前完成@a家重点养殖场整治，其余场户2019年完成。",
		"监测报告、整改前后照片、现场检查记录",
		{ "完成污染源排查，建立整治台账。", "向@a家企业下达限期整改通知书。",
		  "@a家养殖场粪污处理池建成投用，完成总任务的@b%。", "委托第三方开展复查监测，出水达标。" },
		"整治养殖场@a家、砖厂@a家，下游断面水质稳定达标，周边群众投诉明显减少。",
		{ "希望把全县所有养殖场都关掉。", "建议政府出钱帮养殖户建沼气池。" },
		"养殖场按照禁养区、限养区和适养区分类管理，禁养区内的已依法关闭搬迁，适养区内的依法整改达标后可以继续生产；我局已向提出建议的群众说明分区管理政策。",
		"一律关停不符合分区管理政策，也影响群众生计；沼气池补助须按上级项目申报。" },
	{ /* 6 drinking water */
		"农村饮水安全", "水利站",
		{ "@P自来水经常停水，一停就是好几天。",
		  "村里的自来水浑浊发黄，不敢直接喝。",
		  "屯里还没通自来水，天旱时要到几里外挑水。",
		  "水管老化经常爆管，希望更换。" },
		{ "经调查，@P等@a个村屯饮水工程建于2008年前后，供水管道老化，年久失修，漏损率约@b%。",
		  "水源地无消毒设施，水质检测浑浊度超标；@b个自然屯@c户群众尚未通自来水。",
		  "调查组入户走访@c户，采集水样@b份送检，群众反映的问题属实。" },
		"@Z前完成@P等村屯饮水安全巩固提升工程，通水率达到@p%以上。",
		"新建蓄水池@a座，更换供水管道@f公里，安装消毒设备@a套，解决@c户群众饮水问题",
		"供水水质达到国家生活饮用水卫生标准，保证率不低于95%，入户水压满足日常使用。",
		{ "完成水源勘查和工程设计", "完成项目招标", "完成蓄水池和管网施工",
		  "安装消毒设备并开展水质检测", "组织竣工验收并通水" },
		"2018年11月20日前完成@a个村屯管网改造，解决@c户群众饮水问题。",
		"竣工验收报告、水质检测报告、通水照片",
		{ "完成水源勘查，确定工程设计方案。", "完成招标，施工单位进场。",
		  "已铺设供水管道@f公里，蓄水池主体完工。", "水质送检合格，组织竣工验收并正式通水。" },
		"新建蓄水池@a座、更换管道@f公里，@c户群众喝上安全自来水，水质检测合格。",
		{ "希望自来水免费供应。", "建议从县城水厂直接铺管到每个屯。" },
		"农村饮水工程实行有偿供水，水费用于工程日常运行维护，收费标准经物价部门核定；从县城水厂远距离铺管投资大、水压难以保证，目前采取就近水源集中供水方式。",
		"工程运行维护需要费用来源；远距离输水技术经济上不合理。" },
	{ /* 7 street lights */
		"城区照明", "村镇规划建设站",
		{ "县城部分路段路灯经常不亮，晚上出行不安全。",
		  "@P背街小巷路灯坏了很久没人修。",
		  "集镇主街没有路灯，晚上黑乎乎的。",
		  "希望在村里主要路口安装太阳能路灯。" },
		{ "经对辖区@b条主次干道和背街小巷逐条排查，共有损坏或不亮路灯@c盏，主要原因是线路老化和灯具超过使用年限。",
		  "部分路段报修后维修不及时，@P等@a个村屯主要路口无照明设施。",
		  "排查期间走访沿街商户和住户@c户，群众反映的问题属实。" },
		"@Z前修复辖区全部损坏路灯，亮灯率达到98%以上，并建立路灯巡查报修机制。",
		"维修更换路灯@c盏，更换老化线路@f公里，新装太阳能路灯@b盏",
		"主干道亮灯率不低于98%，背街小巷亮灯率不低于95%，群众报修后48小时内修复。",
		{ "完成全面排查，建立损坏路灯台账", "完成灯具采购", "完成老化线路更换",
		  "完成太阳能路灯安装", "全部修复并组织验收" },
		"2018年11月20日前修复主干道全部损坏路灯，背街小巷2019年一季度完成。",
		"路灯维修台账、验收报告、夜间亮灯照片",
		{ "完成路灯排查，建立损坏路灯台账@c条。", "完成灯具采购，更换老化线路@f公里。",
		  "已修复路灯@c盏，新装太阳能路灯@b盏。", "全部损坏路灯修复完毕，经夜间抽查验收合格。" },
		"共维修更换路灯@c盏，更换线路@f公里，主干道亮灯率@p%，开通路灯报修专线。",
		{ "希望路灯整夜不关。", "建议县城所有路灯都换成景观灯。" },
		"为节约用电，路灯按季节分时段开闭，主干道全夜照明，背街小巷后半夜半灯运行；景观灯建设和运行成本高，仅在重点街区按规划建设。",
		"路灯电费由财政负担，全部整夜开灯和更换景观灯将大幅增加财政支出。" },
	{ /* 8 markets */
		"农贸市场", "市场管理所",
		{ "镇上农贸市场又脏又乱，下雨天污水横流。",
		  "市场外摊贩占道经营，早上交通堵塞。",
		  "市场里卖肉的秤不准，缺斤少两。",
		  "农贸市场没有公共厕所，赶集很不方便。" },
		{ "经调查，@T农贸市场建于1998年，地面破损约@d平方米，排水沟堵塞，现有固定摊位@c个，另有流动摊贩@b余户在市场外占道经营。",
		  "市场内计量器具@c台，抽检不合格@b台；市场无公共厕所，保洁每日仅1次。",
		  "调查组走访商户@b户、赶集群众@c人，群众反映的问题属实。" },
		"@Z前完成@T农贸市场改造，实现摊位入场、划行归市、日常保洁。",
		"改造农贸市场1个，硬化地面@d平方米，新建排水沟@c米，规范划定摊位@c个，新建公厕1座",
		"市场地面平整无积水，摊位统一编号划线经营，市场外无占道经营，每日保洁不少于2次，计量器具检定合格率100%。",
		{ "完成改造方案设计和摊主意见征求", "完成地面硬化和排水沟施工", "完成公厕建设",
		  "开展计量器具检定", "摊位分配入场并组织验收" },
		"2018年11月20日前完成市场地面硬化和排水改造，公厕2019年建成。",
		"验收报告、改造前后照片、摊位分配台账",
		{ "完成市场改造方案设计，召开摊主座谈会征求意见。", "完成地面硬化@d平方米、排水沟@c米。",
		  "检定计量器具@c台，更换不合格秤@b台。", "@c个摊位完成抽签分配，流动摊贩全部入场。" },
		"市场改造完成，硬化地面@d平方米，@c个摊位全部入场经营，市场外占道经营现象消除。",
		{ "希望免收市场摊位费。", "建议把市场搬到@P去。" },
		"市场摊位费用于市场保洁、维修和管理人员工资，收费标准经物价部门核定并公示；市场搬迁涉及规划调整和土地征收，须经充分论证，近期不具备条件。",
		"市场日常运行需要费用；搬迁投资大，多数商户和群众不赞成搬迁。" },
	{ /* 9 clinics */
		"基层医疗", "卫生院",
		{ "@T卫生院看病排队时间长，医生太少。",
		  "村卫生室经常没人，药品也不全。",
		  "卫生院设备落后，小病也要跑到县城看。",
		  "希望有医生定期下村给老人体检。" },
		{ "经调查，@T卫生院现有在编医务人员@b人，服务人口@d人，每千人口执业医师@f人，低于全区平均水平。",
		  "辖区@b个村卫生室中@a个无固定村医，基本药物配备品种不足@b种。",
		  "调查组走访患者和群众@c人，群众反映的问题属实。" },
		"@Z前补齐卫生院人员和设备短板，村卫生室全部有村医、有基本药物。",
		"招聘医务人员@b人，配置医疗设备@b台（套），为@d名65岁以上老人免费体检",
		"卫生院门诊候诊时间不超过30分钟，村卫生室每周开诊不少于5天，基本药物不少于@b种。",
		{ "制定人员招聘和设备配置计划", "完成医务人员招聘", "完成设备采购安装",
		  "开展老年人免费体检", "组织检查验收" },
		"2018年11月20日前完成医务人员招聘和村医配齐，设备配置2019年完成。",
		"人员招聘公示、设备验收单、体检统计表",
		{ "制定招聘计划并报县人社局审核。", "完成招聘@a名医务人员，已到岗。",
		  "为@d名老人完成免费体检，建立健康档案。", "新购设备完成安装调试并投入使用。" },
		"招聘医务人员@b人，配齐村医@a名，完成老人体检@d人次，门诊候诊时间明显缩短。",
		{ "希望卫生院的药和县医院一样全。", "建议在每个村都建一所医院。" },
		"乡镇卫生院按照基本药物制度配备和使用药品，功能定位是常见病、多发病诊疗；每个村按标准设置村卫生室，由乡村医生提供基本医疗和公共卫生服务，不另建医院。",
		"药品配备和医疗机构设置须符合国家基本药物制度和区域卫生规划。" },
	{ /* 10 refuse */
		"农村垃圾收运", "环境卫生管理站",
		{ "城郊村屯垃圾没人收，堆在路边发臭。",
		  "希望增加垃圾桶，定时清运。",
		  "河边堆满了垃圾，一下雨就冲到河里。",
		  "垃圾车清运不及时，夏天苍蝇蚊子很多。" },
		{ "经调查，@P周边@b个村共有自然屯@b个，现有垃圾收集点@b个，其中@b个屯无收集点。",
		  "清运车辆只有@a辆，每@a天清运1次，夏季垃圾堆积发臭；河道沿岸有垃圾堆放点@b处。",
		  "调查组逐屯走访，召开村民小组会@a场，群众反映的问题属实。" },
		"@Z前实现@b个村垃圾收集点全覆盖、每日清运。",
		"新增垃圾收集点@b个，配置垃圾桶@c个、垃圾车@a辆，清理河道垃圾@c吨",
		"每个自然屯至少1个收集点，收集点垃圾日产日清，村屯主干道和河道沿岸无垃圾堆积。",
		{ "完成收集点选址", "完成垃圾桶和垃圾车采购", "完成河道垃圾清理",
		  "收集点全部投入使用", "组织验收" },
		"2018年11月20日前建成收集点@b个并实现每日清运，其余收集点2019年建成。",
		"清运记录台账、收集点照片、验收报告",
		{ "召开各村支书会议，确定@b个收集点位置。", "垃圾桶@c个、垃圾车@a辆完成采购并交付。",
		  "已有@b个收集点投入使用，每日清运1次。", "清理河道垃圾@c吨，河道沿岸垃圾堆放点全部清除。" },
		"新增收集点@b个，实现每日清运，清理河道垃圾@c吨，村容村貌明显改善。",
		{ "希望垃圾清运不收费。", "建议每家门口都放一个垃圾桶。" },
		"农村垃圾处理费按照“村民适当缴费、村集体补助、财政奖补”的办法筹集，标准经村民代表大会讨论通过；收集点按服务半径统一设置，每户门口设桶清运成本过高。",
		"垃圾收运需要稳定的经费来源；逐户设桶不符合收运体系设计。" },
	{ /* 11 buses */
		"城乡客运", "党政办",
		{ "@P到县城的班车太少，下午四点以后就没车了。",
		  "农村客运车辆破旧，经常超载。",
		  "希望开通县城到@P的公交车。",
		  "客运站候车室太简陋，没有座位。" },
		{ "经调查，@U辖区@b个行政村中@a个村通客运班车，日均发班@b班，末班车时间为16时。",
		  "营运车辆@b辆中车龄超过8年的@b辆，节假日超载现象时有发生；@P候车亭@a处破损。",
		  "调查组乘车体验@a次，走访乘客@c人，群众反映的问题属实。" },
		"@Z前优化城乡客运线路和班次，末班车延长至18时，更新老旧车辆。",
		"新增客运班次@b班，更新客运车辆@b辆，新建改造候车亭@b个",
		"建制村通客车率100%，末班车不早于18时，营运车辆无超载，候车亭有座椅和站牌。",
		{ "完成客运线路和班次调查", "征求群众对线路调整的意见", "完成车辆更新",
		  "完成候车亭建设", "调整班次并组织验收" },
		"2018年11月20日前完成班次调整和@b辆车辆更新，其余车辆2019年更新。",
		"线路班次调整文件、车辆更新台账、候车亭照片",
		{ "完成线路班次调查，形成调整方案。", "召开乘客代表座谈会，征求意见@b条。",
		  "更新客运车辆@b辆，新增班次@b班。", "新建候车亭@b个，全部投入使用。" },
		"新增班次@b班，末班车延长至18时，更新车辆@b辆，新建候车亭@b个。",
		{ "希望农村客运全部免费。", "建议每个屯都通公交车。" },
		"农村客运实行市场化运营，票价经物价部门核定，政府对偏远线路给予燃油补贴；客流量小的自然屯采取预约响应式客运，暂不具备开通固定公交线路的条件。",
		"客流量小、运营成本高，免费和全覆盖公交超出财政补贴能力。" },
	{ /* 12 housing */
		"农村危房改造", "村镇规划建设站",
		{ "农村危房改造补助审批慢，有的贫困户房子漏雨还没改。",
		  "危房改造补助款迟迟不到位。",
		  "@P有的困难户一直住在危房里，没人管。",
		  "危房改造评定不公开，群众有意见。" },
		{ "经核查，@U2018年农村危房改造任务@c户，截至6月底已开工@c户、竣工@b户。",
		  "部分村存在审批材料反复补充、补助资金拨付不及时的问题；评定结果未在村务公开栏公示。",
		  "调查组入户核查@c户，群众反映的问题基本属实。" },
		"年内完成2018年度危房改造任务，补助资金在竣工验收后30日内拨付到户。",
		"完成农村危房改造@c户，其中建档立卡贫困户@c户",
		"改造后房屋达到安全住房标准，一户一档资料齐全，评定结果公示，补助资金足额拨付到户。",
		{ "简化审批流程，印发危房改造办事指南", "公示危房改造评定结果", "开展质量安全中期检查",
		  "全部开工，竣工过半", "全部竣工验收，补助资金拨付到户" },
		"2018年11月20日前完成@c户危房改造并拨付补助，其余@b户2019年完成。",
		"一户一档台账、竣工验收报告、改造前后照片",
		{ "印发危房改造办事指南，审批材料由@b项精简为@a项。", "在各村公示危房改造评定结果。",
		  "已开工@c户，竣工@c户，拨付补助资金@c万元。", "开展质量安全检查，整改问题@b个。" },
		"完成危房改造@c户，拨付补助资金@c万元，一户一档资料齐全。",
		{ "希望所有农户都能享受危房改造补助。", "建议补助标准提高到每户十万元。" },
		"危房改造补助对象为住房经鉴定为危房的建档立卡贫困户、低保户、分散供养特困人员和贫困残疾人家庭，补助标准由自治区统一制定；我局已向提出建议的群众解释政策。",
		"补助对象和标准由上级政策确定，县级不能扩大范围或提高标准。" },
	{ /* 13 services */
		"政务服务", "政务服务中心",
		{ "办事要跑好几个窗口，材料重复提交。",
		  "买了商品房五六年了还办不了房产证。",
		  "窗口工作人员态度差，中午不办事。",
		  "希望网上能办的事情多一些。" },
		{ "经调查，@U共有政务服务事项@c项，其中可网上办理的@b项，群众办理高频事项平均需提交材料@a份、往返@a次。",
		  "窗口午间不办公，部分工作人员一次性告知不到位；@P等地群众反映办理不动产登记时间长。",
		  "调查组暗访窗口@a次，走访办事群众@c人，群众反映的问题属实。" },
		"@Z前实现高频事项“最多跑一次”，网上可办率达到@p%。",
		"梳理政务服务事项@c项，精简申请材料@b份，实行午间延时服务@c天",
		"高频事项一次性告知、一窗受理，办理时限压缩@b%以上，窗口服务满意度不低于@p%。",
		{ "梳理政务服务事项和材料清单", "推行一窗受理和午间延时服务", "完成网上办事平台事项上线",
		  "开展窗口作风专项整治", "组织检查评估" },
		"2018年11月20日前完成@b项高频事项“最多跑一次”改革，其余事项2019年完成。",
		"事项清单、窗口服务评价统计、整改前后办事流程图",
		{ "梳理政务服务事项@c项，形成事项和材料清单。", "推行一窗受理，实行午间延时服务。",
		  "@b项事项在网上办事平台上线运行。", "开展窗口作风暗访，通报问题@a个。" },
		"梳理事项@c项，精简材料@b份，@b项事项实现网上办理，群众平均往返次数降到1次。",
		{ "希望所有事情都能在村里办。", "建议政务服务中心周末全天上班。" },
		"部分事项须由具有审批权限的部门办理，不能全部下放到村；政务服务中心周末安排值班窗口办理高频事项，并推行预约服务和网上办理。",
		"审批权限由法律法规规定；周末全天全员上班超出现有人员编制承受能力。" },
	{ /* 14 elderly care */
		"养老服务", "社会事务办",
		{ "村里留守老人多，没人照顾。",
		  "@T敬老院条件差，老人不愿意去。",
		  "高龄补贴发放不及时，有的老人没领到。",
		  "希望在村里建老年人活动中心。" },
		{ "经调查，@U辖区60岁以上老人@d人，其中留守老人@c人；@T敬老院床位@b张，入住@b人，设施陈旧。",
		  "高龄补贴发放存在信息更新不及时、漏发@b人的问题；@b个村无老年人活动场所。",
		  "调查组入户走访老人@c人，群众反映的问题属实。" },
		"@Z前完成敬老院提升改造，高龄补贴应发尽发，新建村级老年人活动中心@a个。",
		"改造敬老院@a所，新增床位@b张，建设村级老年人活动中心@a个，补发高龄补贴@b人",
		"敬老院达到二星级标准，高龄补贴按月足额发放，活动中心有场地、有设施、有人管理。",
		{ "完成高龄补贴发放情况核查", "补发漏发补贴", "完成敬老院改造设计",
		  "完成敬老院改造和活动中心建设", "组织验收" },
		"2018年11月20日前完成高龄补贴补发和敬老院改造，活动中心2019年建成。",
		"补贴发放花名册、改造验收报告、活动中心照片",
		{ "核查高龄补贴发放名册，发现漏发@b人。", "补发高龄补贴@c人次@b万元。",
		  "敬老院改造完成@b%，新增床位@b张。", "@a个村级老年人活动中心投入使用。" },
		"补发高龄补贴@b人，改造敬老院@a所，建成老年人活动中心@a个，老人满意度明显提高。",
		{ "希望所有老人都免费住敬老院。", "建议每月给每位老人发放生活补贴。" },
		"敬老院优先保障特困供养人员，社会老人入住按规定收费；高龄补贴按年龄段发放，其他生活补贴须按上级政策执行，县级没有出台普惠性补贴的资金和政策依据。",
		"养老服务保障范围和标准由上级政策确定，县级财政不能承担普惠性补贴。" },
	{ /* 15 irrigation */
		"农田水利", "农业服务中心",
		{ "@P的水渠年久失修，渗漏严重，农田灌溉困难。",
		  "山塘淤积，蓄不住水，一到旱季就缺水。",
		  "希望修建机耕路和灌溉渠，方便耕种。",
		  "水利设施建好后没人管护，很快就坏了。" },
		{ "经调查，@P等村灌溉渠道@f公里中破损渗漏@f公里，山塘@b座淤积严重，影响灌溉面积@d亩。",
		  "已建小型水利工程管护责任未落实，@b处设施损坏后无人维修。",
		  "调查组实地勘查@b处，走访农户@c户，群众反映的问题属实。" },
		"@Z前完成@P灌溉渠道修复和山塘清淤，恢复灌溉面积@d亩，落实工程管护责任。",
		"修复灌溉渠道@f公里，清淤山塘@b座，落实管护责任人@b名",
		"渠道防渗不漏水，山塘恢复设计库容，每处工程有管护责任人和管护制度。",
		{ "完成工程勘查和设计", "完成施工招标", "完成山塘清淤",
		  "完成渠道修复", "落实管护责任并组织验收" },
		"2018年11月20日前完成@b座山塘清淤和@f公里渠道修复，其余工程2019年完成。",
		"竣工验收报告、管护责任书、施工前后照片",
		{ "完成工程勘查，形成设计方案。", "完成施工招标，施工队伍进场。",
		  "完成山塘清淤@b座，渠道修复@f公里。", "与@b名管护责任人签订管护责任书。" },
		"修复渠道@f公里，清淤山塘@b座，恢复灌溉面积@d亩，管护责任全部落实。",
		{ "希望政府把所有农田都改成高标准农田。", "建议免费提供灌溉用水和抽水电费。" },
		"高标准农田建设按上级下达的年度任务和规划区域分批实施，县里每年争取项目资金；农业灌溉用电执行国家农业生产电价，抽水电费按“谁受益、谁负担”的原则由受益农户分摊。",
		"建设任务和电价政策由上级确定；全部免费超出财政承受能力。" },
};
#define NTHEMES (sizeof themes / sizeof themes[0])

struct bureau {
	const char *name;
	const char *sections[3];
	unsigned themes[4];
	unsigned nthemes;
};

static const struct bureau bureaus[] = {
	{ "住建局", { "城建股", "村镇建设股", "市政园林股" }, { 1, 7, 12, 0 }, 4 },
	{ "教育局", { "基础教育股", "计划财务股", "安全稳定股" }, { 2 }, 1 },
	{ "人社局", { "社会保险股", "劳动保障监察大队", "就业服务中心" }, { 3, 4 }, 2 },
	{ "环保局", { "环境监察大队", "污染防治股", "环境监测站" }, { 5, 10 }, 2 },
	{ "交通运输局", { "公路管理所", "运输管理所", "综合股" }, { 0, 11 }, 2 },
	{ "水利局", { "农村水利股", "水政监察大队", "水利工程管理站" }, { 6, 15 }, 2 },
	{ "卫计局", { "医政股", "基层卫生股", "疾病预防控制中心" }, { 9 }, 1 },
	{ "民政局", { "社会救助股", "养老服务股", "基层政权股" }, { 14 }, 1 },
	{ "市场监管局", { "市场规范管理股", "计量股", "食品安全股" }, { 8, 13 }, 2 },
	{ "城管局", { "市容环卫股", "市政设施管理所", "执法大队" }, { 7, 10 }, 2 },
	{ "农业局", { "农业技术推广中心", "农田建设股", "综合股" }, { 15, 13 }, 2 },
	{ "行政审批局", { "政务服务股", "审批服务股", "综合股" }, { 13 }, 1 },
};
#define NBUREAUS (sizeof bureaus / sizeof bureaus[0])

/* First and second characters of place names. */
static const char *const place1[] = {
	"大", "小", "新", "古", "石", "龙", "凤", "马", "牛", "黄", "白", "青",
	"金", "高", "平", "长", "东", "西", "南", "北", "中", "上", "下", "江",
	"岭", "林", "竹", "桃", "梅", "莲", "清", "安", "和", "福", "永", "兴",
	"太", "文", "双", "三", "六", "九", "罗", "甘", "洛", "雒", "思", "那",
};
static const char *const place2[] = {
	"坪", "寨", "塘", "岭", "江", "口", "湾", "沙", "排", "头", "洞", "冲",
	"岩", "桥", "田", "圩", "垌", "坡", "阳", "溪", "湖", "山", "门", "河",
	"埠", "渡", "坝", "庄", "岗", "林", "源", "滩", "丰", "富", "乐", "宁", "城",
};
#define NPLACE1 (sizeof place1 / sizeof place1[0])
#define NPLACE2 (sizeof place2 / sizeof place2[0])

static const char *const village_suffix[] = { "村", "村", "村", "屯", "社区", "街" };
static const char *const surnames[] = {
	"覃", "韦", "黄", "蓝", "莫", "梁", "李", "王", "陈", "杨", "吴", "罗",
	"潘", "蒙", "廖", "周", "谢", "唐", "刘", "张", "卢", "甘", "农", "龙",
};
static const char *const verdicts_c[] = { "属实", "属实", "属实", "基本属实", "部分属实" };
static const char *const verdicts_o[] = { "部分属实", "部分属实", "基本属实", "不属实" };
static const char *const inv_openers[] = {
	"@R至@E，@U组成调查组，对群众反映的问题逐一进行了实地调查。",
	"接到县绩效办转办的意见建议后，@U主要领导召开专题会议研究部署，@R起开展调查摸底。",
	"@R，@U会同@P两委干部开展入户调查和现场核实。",
	"", "", "", "", "", "", "", "", "", "", "",
};
static const char *const inv_closers[] = {
	"调查情况已形成书面调查报告。",
	"调查结果已向提出意见的群众反馈。",
	"召开村（居）民代表座谈会@a场，收集意见@b条。",
	"查阅相关台账资料@b份，并与群众代表逐户核实。",
};
static const char *const goal_tails[] = {
	"", "", "", "", "", "", "", "", "", "确保群众满意度达到@p%以上。", "并建立长效管理机制。",
	"做到事事有回音、件件有着落。",
};
static const char *const other_notes[] = {
	"完成情况说明，报县绩效办审核。",
	"向提出建议的群众当面解释说明，群众表示理解。",
	"在政务公开栏公示情况说明。",
	"电话回访提出建议的群众，反馈办理情况。",
	"召开座谈会听取群众意见，解释相关政策。",
};
static const char *const other_results[] = {
	"已向提出建议的群众作出解释说明，群众表示理解。",
	"情况说明已公示，电话回访@a名群众，均表示理解和支持。",
	"已解释政策并提出替代措施，群众基本满意。",
};
static const char *const amend_reasons[] = {
	"施工招标因财政评审延后，完工时限不变，路线图第2步顺延10天",
	"原定实施地点因土地权属争议调整到@P，工程量不变",
	"按上级新下达的补助政策调整建设内容，改造数量增加@a处",
	"汛期暴雨影响施工，经现场核实同意调整部分节点时间",
};
static const char *const status_comments[] = {
	"已完成总工程量的@b%", "按计划推进", "待县绩效办核验", "阶段性目标已完成",
	"10月中旬督查时进度正常",
};

/* ----------------------------------------------------------------- units */

enum kind { BUREAU, TOWN, TOWNSHIP };
static const char *const kind_names[] = { "bureau", "town", "township" };

struct unit {
	char code[16];
	char name[96];
	enum kind kind;
	const struct bureau *bureau;    /* bureaus only */
};

/* The idx-th distinct two-character place name, spread over the table. */
static void place_name(unsigned idx, char *out, size_t cap)
{
	unsigned n = (unsigned)(NPLACE1 * NPLACE2);
	unsigned k = (unsigned)(((uint64_t)idx * 1031u + 7u) % n);  /* 1031 is prime, coprime with n */
	snprintf(out, cap, "%s%s", place1[k % NPLACE1], place2[(k / NPLACE1) % NPLACE2]);
}

static void make_unit(unsigned i, struct unit *u)
{
	snprintf(u->code, sizeof u->code, "u%04u", i + 1);
	unsigned m = i % 13;           /* the seed's mix: 4 bureaus, 6 towns, 3 townships */
	char place[32];
	if (m < 4) {
		unsigned b = (i / 13) * 4 + m;
		u->kind = BUREAU;
		u->bureau = &bureaus[b % NBUREAUS];
		if (b < NBUREAUS) {
			snprintf(u->name, sizeof u->name, "县%s", u->bureau->name);
		} else {
			place_name(5000u + (unsigned)(b / NBUREAUS), place, sizeof place);
			snprintf(u->name, sizeof u->name, "%s县%s", place, u->bureau->name);
		}
	} else {
		u->kind = m < 10 ? TOWN : TOWNSHIP;
		u->bureau = NULL;
		place_name(i, place, sizeof place);
		snprintf(u->name, sizeof u->name, "%s%s", place, u->kind == TOWN ? "镇" : "乡");
	}
}

/* --------------------------------------------------------------- expand */

struct item_ctx {
	struct rng *r;
	const struct unit *u;
	long start, due, inv_from, inv_to;
};

static void village(struct rng *r, struct buf *b)
{
	bputs(b, place1[rnd(r, NPLACE1)]);
	bputs(b, place2[rnd(r, NPLACE2)]);
	bputs(b, PICK(r, village_suffix));
}

/* Appends tmpl to b with its tokens replaced (see the phrase tables). */
static void expand(struct buf *b, const struct item_ctx *c, const char *tmpl)
{
	char tmp[64];
	for (const char *p = tmpl; *p; p++) {
		if (*p != '@' || !p[1]) {
			bput(b, p, 1);
			continue;
		}
		switch (*++p) {
		case 'P': village(c->r, b); break;
		case 'U': bputs(b, c->u->name); break;
		case 'T':
			if (c->u->kind == BUREAU) {
				bputs(b, place1[rnd(c->r, NPLACE1)]);
				bputs(b, place2[rnd(c->r, NPLACE2)]);
				bputs(b, "镇");
			} else {
				bputs(b, c->u->name);
			}
			break;
		case 'a': bprintf(b, "%d", range(c->r, 2, 9)); break;
		case 'b': bprintf(b, "%d", range(c->r, 10, 99)); break;
		case 'c': bprintf(b, "%d", range(c->r, 100, 999)); break;
		case 'd': bprintf(b, "%d", range(c->r, 1000, 9999)); break;
		case 'f': {
			int whole = range(c->r, 1, 9);
			bprintf(b, "%d.%d", whole, range(c->r, 2, 8));
			break;
		}
		case 'p': bprintf(b, "%d", range(c->r, 85, 99)); break;
		case 'Z': date_zh(c->due, tmp, sizeof tmp); bputs(b, tmp); break;
		case 'S': date_zh(c->start, tmp, sizeof tmp); bputs(b, tmp); break;
		case 'R': date_zh(c->inv_from, tmp, sizeof tmp); bputs(b, tmp); break;
		case 'E': date_zh(c->inv_to, tmp, sizeof tmp); bputs(b, tmp); break;
		default: die("internal error: unknown token '@%c' in a phrase", *p);
		}
	}
}

/* Refuses text that could not be written as a plain scalar in flow context. */
static void check_plain(const char *s)
{
	if (!*s || strchr("-?:,[]{}#&*!|>'\"%@`", s[0]) || strpbrk(s, ",:#[]{}\n\t") ||
	    s[strlen(s) - 1] == ' ')
		die("internal error: '%s' cannot be written plain", s);
}

static char *expand_new(const struct item_ctx *c, const char *tmpl)
{
	struct buf b = { 0 };
	expand(&b, c, tmpl);
	check_plain(b.s);
	return b.s;
}

/* ---------------------------------------------------------------- faults */

enum fault { F_NONE, F_KEY, F_DATE, F_OWNER };

struct faults {
	struct buf list;
	unsigned n;
};

static void note_fault(struct faults *f, const char *code, unsigned line,
		       const char *id, const char *rule, const char *what)
{
	bprintf(&f->list, "fault ledgers/%s.yaml:%u %s %s %s\n", code, line, id, rule, what);
	f->n++;
}

/* ----------------------------------------------------------------- items */

struct step {
	long due, done;       /* done 0: not done */
	char *text;
	bool block;
};

struct plan {
	char *goal, *task, *standard, *stage, *outcome;
	char leader[64], owner_unit[160], person[64];
	struct step steps[5];
	unsigned nsteps;
};

static void plan_free(struct plan *p)
{
	free(p->goal);
	free(p->task);
	free(p->standard);
	free(p->stage);
	free(p->outcome);
	for (unsigned i = 0; i < p->nsteps; i++)
		free(p->steps[i].text);
}

static void canon_field(struct buf *c, const char *name, const char *value)
{
	if (value && *value) {
		bputs(c, name);
		bputs(c, "=");
		bputs(c, value);   /* generated text has no \, LF, CR or tab to escape */
		bputs(c, "\n");
	}
}

/* plan_digest as docs/format.md defines it. */
static void plan_digest(const struct plan *p, long start, long due, char out[static 72])
{
	struct buf c = { 0 };
	char d1[11], d2[11];
	date_str(start, d1);
	date_str(due, d2);
	bputs(&c, "zg-plan-1\n");
	canon_field(&c, "goal", p->goal);
	canon_field(&c, "task", p->task);
	canon_field(&c, "standard", p->standard);
	canon_field(&c, "start", d1);
	canon_field(&c, "due", d2);
	canon_field(&c, "stage_target", p->stage);
	canon_field(&c, "outcome", p->outcome);
	canon_field(&c, "owner.leader", p->leader);
	canon_field(&c, "owner.unit", p->owner_unit);
	canon_field(&c, "owner.person", p->person);
	for (unsigned i = 0; i < p->nsteps; i++) {
		char name[32], d[11];
		date_str(p->steps[i].due, d);
		snprintf(name, sizeof name, "roadmap.%u.due", i + 1);
		canon_field(&c, name, d);
		snprintf(name, sizeof name, "roadmap.%u.step", i + 1);
		canon_field(&c, name, p->steps[i].text);
	}
	struct sha256_ctx ctx;
	uint8_t dig[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	sha256_update(&ctx, c.len, (const uint8_t *)c.s);
	sha256_digest(&ctx, sizeof dig, dig);
	memcpy(out, "sha256:", 7);
	for (size_t i = 0; i < sizeof dig; i++)
		snprintf(out + 7 + 2 * i, 3, "%02x", dig[i]);
	free(c.s);
}

static void put_date(struct buf *b, struct rng *r, const char *indent, const char *key, long d)
{
	char s[11];
	date_str(d, s);
	if (chance(r, 3))
		bprintf(b, "%s%s: \"%s\"\n", indent, key, s);   /* clerks quote things */
	else
		bprintf(b, "%s%s: %s\n", indent, key, s);
}

/* A text field: plain, or a literal/folded block of its sentences. */
static void put_text(struct buf *b, const char *indent, const char *key, const char *text)
{
	check_plain(text);
	bprintf(b, "%s%s: ", indent, key);
	bputs(b, text);
	bputs(b, "\n");
}

static void put_block(struct buf *b, const char *indent, const char *key, char style,
		      const char *const *lines, unsigned n)
{
	bprintf(b, "%s%s: %c\n", indent, key, style);
	for (unsigned i = 0; i < n; i++) {
		check_plain(lines[i]);
		bprintf(b, "%s  ", indent);
		bputs(b, lines[i]);
		bputs(b, "\n");
	}
}

static const char *const ev_kinds[] = {
	"report", "minutes", "notice", "photo", "statistics", "plan", "call", "media", "other",
};
static const char *const ev_names[] = {
	"survey-report", "minutes", "notice", "photos", "statistics", "plan", "call-log", "video", "material",
};
static const char *const ev_exts[] = {
	"pdf", "pdf", "pdf", "jpg", "xlsx", "docx", "txt", "mp4", "pdf",
};

static void put_evidence(struct buf *b, struct rng *r, const char *id, long date, unsigned n)
{
	char d[11];
	date_str(date, d);
	memmove(d, d + 5, 6);           /* MM-DD */
	memmove(d + 2, d + 3, 3);       /* MMDD, as in minutes-0813.pdf */
	char paths[3][128];
	unsigned kinds[3];
	for (unsigned i = 0; i < n; i++) {
		kinds[i] = rnd(r, 9);
		snprintf(paths[i], sizeof paths[i], "evidence/%s/%s-%s%s.%s", id, ev_names[kinds[i]], d,
			 i ? (i == 1 ? "-b" : "-c") : "", ev_exts[kinds[i]]);
	}
	if (chance(r, 6)) {
		bputs(b, "        evidence: [");
		for (unsigned i = 0; i < n; i++)
			bprintf(b, "%s%s", i ? ", " : "", paths[i]);
		bputs(b, "]\n");
		return;
	}
	bputs(b, "        evidence:\n");
	for (unsigned i = 0; i < n; i++) {
		unsigned s = rnd(r, 100);
		if (s < 45)
			bprintf(b, "          - %s\n", paths[i]);
		else if (s < 92)
			bprintf(b, "          - {file: %s, kind: %s}\n", paths[i], ev_kinds[kinds[i]]);
		else
			bprintf(b, "          - file: %s\n            kind: %s\n", paths[i], ev_kinds[kinds[i]]);
	}
}

struct unit_state {
	unsigned next_no;      /* the office's suggestion numbers */
};

/*
 * Appends item number n (1-based) of unit u to b. The item's fields come
 * from r alone; a planned fault, if drawn, is noted in f.
 */
static void gen_item(struct buf *b, struct rng *r, const struct unit *u, struct unit_state *st,
		     unsigned n, struct faults *f, unsigned *nitems_faulty)
{
	char id[48], d1[11];
	snprintf(id, sizeof id, "%s-%03u", u->code, n);

	const struct theme *t;
	if (u->kind == BUREAU)
		t = &themes[u->bureau->themes[rnd(r, u->bureau->nthemes)]];
	else
		t = &themes[rnd(r, NTHEMES)];
	bool constructive = rnd(r, 100) < 75;

	enum fault fault = F_NONE;
	if (rnd(r, 200) == 0) {
		fault = (enum fault)(1 + rnd(r, 3));
		if (fault == F_OWNER && !constructive)
			fault = F_KEY;
		(*nitems_faulty)++;
	}

	/* status and the timeline */
	enum { NOT_STARTED, IN_PROGRESS, STAGED, DONE, CLOSED } status;
	static const char *const status_names[] = {
		"not_started", "in_progress", "staged", "done", "closed",
	};
	unsigned s = rnd(r, 100);
	if (constructive)
		status = s < 5 ? NOT_STARTED : s < 52 ? IN_PROGRESS : s < 62 ? STAGED :
			 s < 85 ? DONE : CLOSED;
	else
		status = s < 25 ? IN_PROGRESS : s < 75 ? DONE : CLOSED;

	struct item_ctx c = { .r = r, .u = u };
	long received = D_RECEIVED + range(r, 0, 4);
	c.inv_from = received + range(r, 1, 2);
	c.inv_to = c.inv_from + range(r, 2, 5);
	c.start = day_num(2018, 7, 2) + range(r, 0, 14);
	long completed = 0;
	bool long_plan = false;
	switch (status) {
	case DONE:
	case CLOSED:
		completed = day_num(2018, 8, 5) + range(r, 0, 64);
		c.due = min_l(completed + range(r, 0, 25), D_COMPLETE);
		break;
	case STAGED:
		long_plan = true;
		c.due = day_num(2019, 1, 31) + range(r, 0, 330);
		break;
	case IN_PROGRESS:
		s = rnd(r, 100);
		if (s < 6)
			c.due = day_num(2018, 9, 20) + range(r, 0, 19);     /* overdue */
		else if (s < 20) {
			long_plan = true;
			c.due = day_num(2019, 1, 31) + range(r, 0, 330);
		} else
			c.due = day_num(2018, 10, 20) + range(r, 0, 31);
		break;
	case NOT_STARTED:
		c.due = day_num(2018, 11, 1) + range(r, 0, 19);
		break;
	}
	if (!constructive) {
		c.due = c.start;
		if (status != IN_PROGRESS)
			completed = max_l(day_num(2018, 7, 3) + range(r, 0, 70), c.inv_to + 4);
	}
	long last_event = completed ? completed : LAST_EVENT;

	/* comments here and there, as clerks leave them */
	if (n > 1)
		bputs(b, "\n");
	if (chance(r, 15))
		bprintf(b, "  # ---- 第%u项：%s ----\n", n, t->group);
	bprintf(b, "  - id: %s\n", id);
	bprintf(b, "    category: %s\n", constructive ? "constructive" : "other");

	/* suggestions */
	unsigned nsugg = 1;
	s = rnd(r, 100);
	if (constructive)
		nsugg = s < 65 ? 1 : s < 93 ? 2 : 3;
	bputs(b, "    suggestions:\n");
	unsigned first = rnd(r, 4);
	for (unsigned i = 0; i < nsugg; i++) {
		char *text = expand_new(&c, constructive ? t->sugg[(first + i) % 4] : t->osugg[rnd(r, 2)]);
		unsigned no = st->next_no;
		st->next_no += 1 + rnd(r, 3);
		s = rnd(r, 100);
		if (s < 60)
			bprintf(b, "      - {no: %u, text: %s}\n", no, text);
		else if (s < 85)
			bprintf(b, "      - %s\n", text);
		else if (s < 95)
			bprintf(b, "      - no: %u\n        text: %s\n", no, text);
		else
			bprintf(b, "      - {text: %s}\n", text);
		free(text);
	}
	if (nsugg > 1 ? chance(r, 90) : chance(r, 20))
		bprintf(b, "    group: %s\n", t->group);

	/* received, perhaps with a planned fault */
	if (fault == F_DATE && chance(r, 50)) {
		note_fault(f, u->code, line_of_end(b), id, "date", "received: 2018-06-31");
		bputs(b, "    received: 2018-06-31\n");
		fault = F_NONE;
	} else if (fault == F_KEY && chance(r, 50)) {
		note_fault(f, u->code, line_of_end(b), id, "unknown-key", "'recieved' for 'received'");
		date_str(received, d1);
		bprintf(b, "    recieved: %s\n", d1);
		fault = F_NONE;
	} else {
		put_date(b, r, "    ", "received", received);
	}

	/* investigation */
	const char *ikey = "investigation";
	if (fault == F_KEY) {
		note_fault(f, u->code, line_of_end(b), id, "unknown-key",
			   "'investgation' for 'investigation'");
		ikey = "investgation";
		fault = F_NONE;
	}
	{
		char *lines[5];
		unsigned nl = 0;
		const char *opener = PICK(r, inv_openers);
		struct buf first_line = { 0 };
		expand(&first_line, &c, opener);
		expand(&first_line, &c, t->inv[0]);
		check_plain(first_line.s);
		lines[nl++] = first_line.s;
		if (chance(r, 30))
			lines[nl++] = expand_new(&c, t->inv[1]);
		if (chance(r, 15))
			lines[nl++] = expand_new(&c, t->inv[2]);
		if (chance(r, 10))
			lines[nl++] = expand_new(&c, PICK(r, inv_closers));
		if (chance(r, 30)) {
			put_block(b, "    ", ikey, '|', (const char *const *)lines, nl);
		} else {
			struct buf all = { 0 };
			for (unsigned i = 0; i < nl; i++)
				bputs(&all, lines[i]);
			put_text(b, "    ", ikey, all.s);
			free(all.s);
		}
		for (unsigned i = 0; i < nl; i++)
			free(lines[i]);
	}
	if (chance(r, 90))
		bprintf(b, "    verdict: %s\n", constructive ? PICK(r, verdicts_c) : PICK(r, verdicts_o));

	/* the plan, or the explanation */
	struct plan p = { 0 };
	bool has_plan = constructive;
	if (has_plan) {
		struct buf g = { 0 };
		expand(&g, &c, t->goal);
		expand(&g, &c, PICK(r, goal_tails));
		check_plain(g.s);
		p.goal = g.s;
		p.task = expand_new(&c, t->task);
		p.standard = expand_new(&c, t->standard);
		p.outcome = expand_new(&c, t->outcome);
		/* roadmap: n-1 of the first four steps, in order, and the acceptance */
		s = rnd(r, 100);
		unsigned want = s < 30 ? 1 : s < 75 ? 2 : s < 95 ? 3 : 4;
		unsigned chosen[5], nc = 0;
		unsigned left = 4;
		for (unsigned i = 0; i < 4; i++, left--)
			if (rnd(r, left) < want - nc)
				chosen[nc++] = i;
		chosen[nc++] = 4;
		p.nsteps = nc;
		long span_end = long_plan ? D_COMPLETE - 5 : c.due;
		unsigned nspan = long_plan ? nc - 1 : nc;
		for (unsigned i = 0; i < nc; i++) {
			struct step *sp = &p.steps[i];
			sp->text = expand_new(&c, t->steps[chosen[i]]);
			sp->block = chance(r, 8);
			if (long_plan && i == nc - 1)
				sp->due = c.due;
			else if (i == nspan - 1)
				sp->due = span_end;
			else
				sp->due = c.start + (span_end - c.start) * (long)(i + 1) / (long)nspan -
					  range(r, 0, 2);
			bool done_wanted;
			switch (status) {
			case DONE: case CLOSED: done_wanted = true; break;
			case STAGED: case IN_PROGRESS: done_wanted = sp->due <= LAST_EVENT && chance(r, 90); break;
			default: done_wanted = false;
			}
			if (done_wanted) {
				sp->done = min_l(sp->due - range(r, 0, 3), last_event);
				sp->done = max_l(sp->done, c.start + 1);
				if (sp->done > LAST_EVENT)
					sp->done = 0;
			}
		}
		if (long_plan)
			p.stage = expand_new(&c, t->stage);
		static const char *const leader_bureau[] = { "局长", "副局长", "副局长", "党组成员" };
		static const char *const leader_town[] = { "镇长", "副镇长", "副镇长", "党委委员" };
		static const char *const leader_township[] = { "乡长", "副乡长", "副乡长", "党委委员" };
		const char *title = u->kind == BUREAU ? PICK(r, leader_bureau) :
				    u->kind == TOWN ? PICK(r, leader_town) : PICK(r, leader_township);
		const char *surname = PICK(r, surnames);
		snprintf(p.leader, sizeof p.leader, "%s某%s %s", surname,
			 chance(r, 40) ? "某" : "", title);
		if (u->kind == BUREAU)
			snprintf(p.owner_unit, sizeof p.owner_unit, "%s%s", u->name,
				 u->bureau->sections[rnd(r, 3)]);
		else
			snprintf(p.owner_unit, sizeof p.owner_unit, "%s%s", u->name, t->tsec);
		surname = PICK(r, surnames);
		snprintf(p.person, sizeof p.person, "%s某%s", surname, chance(r, 30) ? "某" : "");

		bputs(b, "    plan:\n");
		put_text(b, "      ", "goal", p.goal);
		put_text(b, "      ", "task", p.task);
		put_text(b, "      ", "standard", p.standard);
		bputs(b, "      roadmap:\n");
		for (unsigned i = 0; i < p.nsteps; i++) {
			struct step *sp = &p.steps[i];
			char dd[11], dn[11];
			date_str(sp->due, dd);
			if (sp->done)
				date_str(sp->done, dn);
			if (sp->block) {
				bprintf(b, "        - due: %s\n          step: %s\n", dd, sp->text);
				if (sp->done)
					bprintf(b, "          done: %s\n", dn);
			} else if (sp->done) {
				bprintf(b, "        - {due: %s, step: %s, done: %s}\n", dd, sp->text, dn);
			} else {
				bprintf(b, "        - {due: %s, step: %s}\n", dd, sp->text);
			}
		}
		put_date(b, r, "      ", "start", c.start);
		date_str(c.due, d1);
		if (chance(r, 5))
			bprintf(b, "      due: %s            # 完成时限\n", d1);
		else
			bprintf(b, "      due: %s\n", d1);
		if (p.stage)
			put_text(b, "      ", "stage_target", p.stage);
		bool owner_block = chance(r, 20);
		if (fault == F_OWNER) {
			static const char *const vague[] = { "相关人员", "待定", "有关股室" };
			const char *v = PICK(r, vague);
			bool in_unit = strcmp(v, "有关股室") == 0;
			if (in_unit)
				snprintf(p.owner_unit, sizeof p.owner_unit, "%s", v);
			else
				snprintf(p.person, sizeof p.person, "%s", v);
			note_fault(f, u->code, line_of_end(b) + (owner_block ? (in_unit ? 2 : 3) : 0),
				   id, "five-haves/owner", v);
			fault = F_NONE;
		}
		if (owner_block)
			bprintf(b, "      owner:\n        leader: %s\n        unit: %s\n        person: %s\n",
				p.leader, p.owner_unit, p.person);
		else
			bprintf(b, "      owner: {leader: %s, unit: %s, person: %s}\n",
				p.leader, p.owner_unit, p.person);
		put_text(b, "      ", "outcome", p.outcome);
	} else {
		char *ex = expand_new(&c, t->explanation);
		if (chance(r, 25)) {
			/* a folded block: the explanation cut after its first sentence */
			char *cut = strstr(ex, "；");
			if (!cut)
				cut = strstr(ex, "。");
			if (cut && cut[3]) {
				size_t at = (size_t)(cut - ex) + 3;
				char *l1 = strndup(ex, at), *l2 = strdup(ex + at);
				const char *lines[2] = { l1, l2 };
				put_block(b, "    ", "explanation", '>', lines, 2);
				free(l1);
				free(l2);
			} else {
				put_text(b, "    ", "explanation", ex);
			}
		} else {
			put_text(b, "    ", "explanation", ex);
		}
		free(ex);
		char *cause = expand_new(&c, t->cause);
		put_text(b, "    ", "cause", cause);
		free(cause);
	}

	/* submission, digest, amendments, publicity */
	long submitted = 0;
	s = rnd(r, 100);
	if (s < 95)
		submitted = day_num(2018, 7, 2) + range(r, 0, 4);
	else if (s < 98)
		submitted = day_num(2018, 7, 9);
	if (submitted)
		put_date(b, r, "    ", "submitted", submitted);
	if (has_plan && submitted && chance(r, 75)) {
		char digest[72];
		plan_digest(&p, c.start, c.due, digest);
		bprintf(b, "    plan_digest: %s\n", digest);
	}
	if (has_plan && submitted && chance(r, 7)) {
		long ad = max_l(submitted + 10, day_num(2018, 8, 1) + range(r, 0, 40));
		char *reason = expand_new(&c, PICK(r, amend_reasons));
		date_str(ad, d1);
		bputs(b, "    amendments:\n");
		if (chance(r, 70))
			bprintf(b, "      - {date: %s, reason: %s, approved_by: 县绩效办}\n", d1, reason);
		else
			bprintf(b, "      - date: %s\n        reason: %s\n        approved_by: 县绩效办\n",
				d1, reason);
		free(reason);
	}
	if (submitted && chance(r, 96)) {
		long pd = min_l(submitted + range(r, 1, 5), max_l(D_PUBLICISE, submitted + 1));
		date_str(pd, d1);
		const char *where = u->kind == BUREAU ? "门户网站" : chance(r, 70) ? "政务公开栏" : "各村（社区）公示栏";
		bprintf(b, "    published: {date: %s, where: %s%s}\n", d1, u->name, where);
	}

	/* progress: the trace, oldest first */
	s = rnd(r, 100);
	unsigned nprog = s < 55 ? 1 : s < 88 ? 2 : s < 98 ? 3 : 4;
	if (status == NOT_STARTED)
		nprog = chance(r, 80) ? 1 : 0;
	if (!constructive)
		nprog = (unsigned)range(r, 1, 3);
	if (nprog) {
		bputs(b, "    progress:\n");
		if (chance(r, 5))
			bputs(b, "      # 过程留痕材料按时间先后排列\n");
		/* The trace ends at the completion; else some time before as-of,
		 * so that about one item in ten has news for the weekly report. */
		long from = c.inv_to;
		long to = completed ? completed : LAST_EVENT - range(r, 0, 60);
		to = max_l(to, from + 3 * (long)nprog);
		for (unsigned i = 0; i < nprog; i++) {
			long pd = i + 1 == nprog ? to :
				  from + (to - from) * (long)(i + 1) / (long)nprog - range(r, 0, 2);
			pd = min_l(pd, LAST_EVENT);
			if (fault == F_DATE) {
				note_fault(f, u->code, line_of_end(b), id, "date", "date: 2018-09-31");
				bputs(b, "      - date: 2018-09-31\n");
				fault = F_NONE;
			} else {
				date_str(pd, d1);
				bprintf(b, "      - date: %s\n", d1);
			}
			char *note = expand_new(&c, constructive ? t->notes[i % 4] : PICK(r, other_notes));
			put_text(b, "        ", "note", note);
			free(note);
			put_evidence(b, r, id, pd, chance(r, 75) ? 1 : chance(r, 85) ? 2 : 3);
		}
	}
	if (fault == F_DATE) {   /* no progress entry to spoil: spoil the completion */
		note_fault(f, u->code, line_of_end(b), id, "date", "completed: 2018-02-30");
		bputs(b, "    completed: 2018-02-30\n");
		completed = 0;
		fault = F_NONE;
	}

	/* status and what it needs */
	if (chance(r, 8)) {
		char *cm = expand_new(&c, PICK(r, status_comments));
		bprintf(b, "    status: %s           # %s\n", status_names[status], cm);
		free(cm);
	} else {
		bprintf(b, "    status: %s\n", status_names[status]);
	}
	if (completed)
		put_date(b, r, "    ", "completed", completed);
	if (status == DONE || status == CLOSED || status == STAGED) {
		char *res = expand_new(&c, constructive ? t->result : PICK(r, other_results));
		put_text(b, "    ", "result", res);
		free(res);
		if (constructive) {
			if (chance(r, 10)) {
				int whole = range(r, 85, 98);
				bprintf(b, "    satisfaction: %d.%d\n", whole, range(r, 1, 9));
			} else if (chance(r, 4)) {
				bprintf(b, "    satisfaction: \"%d\"\n", range(r, 85, 99));
			} else {
				bprintf(b, "    satisfaction: %d\n", range(r, 85, 99));
			}
		}
	}
	if (status == CLOSED) {
		long vd = min_l(completed + range(r, 3, 15), LAST_EVENT);
		date_str(vd, d1);
		bprintf(b, "    verification: {date: %s, by: 县绩效办, score: %d}\n", d1, range(r, 85, 99));
	}
	plan_free(&p);
}

/* ------------------------------------------------------------------ files */

static void write_file(const char *path, const struct buf *b)
{
	FILE *fp = fopen(path, "wb");
	if (!fp)
		die("cannot write %s: %s", path, strerror(errno));
	if (b->len && fwrite(b->s, 1, b->len, fp) != b->len)
		die("cannot write %s: %s", path, strerror(errno));
	if (fclose(fp) != 0)
		die("cannot write %s: %s", path, strerror(errno));
}

static bool dir_empty(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return true;
	struct dirent *e;
	bool empty = true;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = false;
	closedir(d);
	return empty;
}

/* --force: old ledgers of a larger corpus would be undeclared units. */
static void remove_ledgers(const char *ledgers)
{
	DIR *d = opendir(ledgers);
	if (!d)
		return;
	struct dirent *e;
	char path[4096];
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n > 5 && strcmp(e->d_name + n - 5, ".yaml") == 0) {
			int k = snprintf(path, sizeof path, "%s/%s", ledgers, e->d_name);
			if (k < 0 || (size_t)k >= sizeof path || unlink(path) != 0)
				die("cannot remove %s: %s", path, strerror(errno));
		}
	}
	closedir(d);
}

static void make_dir(const char *path)
{
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		die("cannot create %s: %s", path, strerror(errno));
}

static void usage(FILE *to)
{
	fputs("Usage: zg-gen DIR --units N --items M [--seed S] [--force]\n"
	      "Write a deterministic zg project for benchmarks: DIR/zg.yaml with N units\n"
	      "and DIR/ledgers/<code>.yaml with M items each (about 1.6 KB per item),\n"
	      "with about one planned fault in 200 items, listed in DIR/zg-gen.txt.\n"
	      "\n"
	      "      --force      write into a DIR that is not empty\n"
	      "  -h, --help       show this help and exit\n"
	      "      --items M    items per ledger (1 to 99999)\n"
	      "      --seed S     seed of the PRNG (default 1); the same arguments give\n"
	      "                   byte-identical files on any machine\n"
	      "      --units N    units, and ledgers (1 to 99999)\n"
	      "      --version    print 'zg-gen V', V the version of the corpus it writes\n"
	      "\n"
	      "Sizes of the benchmark: county 13x40, province 1400x40 (80-100 MB).\n", to);
}

static unsigned long parse_num(const char *opt, const char *s, unsigned long max)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (!*s || *end || errno || v > max || s[0] == '-')
		die("%s '%s' is not a number from 0 to %lu", opt, s, max);
	return v;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "items", required_argument, NULL, 'i' },
		{ "seed", required_argument, NULL, 's' },
		{ "units", required_argument, NULL, 'u' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long units = 0, items = 0;
	uint64_t seed = 1;
	bool force = false;
	int ch;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f': force = true; break;
		case 'h': usage(stdout); return 0;
		case 'i': items = parse_num("--items", optarg, 99999); break;
		case 's': seed = parse_num("--seed", optarg, ULONG_MAX); break;
		case 'u': units = parse_num("--units", optarg, 99999); break;
		case 'V': printf("zg-gen %d\n", GEN_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind + 1 != argc || units == 0 || items == 0) {
		usage(stderr);
		return 2;
	}
	const char *dir = argv[optind];
	make_dir(dir);
	char path[4096];
	snprintf(path, sizeof path, "%s/ledgers", dir);
	if (!force && !dir_empty(dir))
		die("%s is not empty; give --force to write into it", dir);
	make_dir(path);
	if (force)
		remove_ledgers(path);

	/* zg.yaml */
	struct unit *us = calloc(units, sizeof *us);
	if (!us)
		die("out of memory");
	for (unsigned i = 0; i < units; i++)
		make_unit(i, &us[i]);
	char county[32];
	place_name((unsigned)(seed % 997u) + 3000u, county, sizeof county);
	struct buf b = { 0 };
	bprintf(&b, "# %s县落实2017年度绩效考评社会评价群众意见建议整改工作\n"
		    "# zg-gen %d 生成的基准测试项目：%lu 个单位，每单位 %lu 项，种子 %" PRIu64 "\n",
		county, GEN_VERSION, units, items, seed);
	bprintf(&b, "zg: 1                          # 格式版本\n"
		    "county: %s县\n"
		    "office: %s县绩效考评委员会办公室\n"
		    "evaluation_year: 2017          # 意见建议来源于2017年度社会评价\n"
		    "deadlines:\n"
		    "  submit: 2018-07-06           # 措施表、情况说明表、整改方案报送县绩效办\n"
		    "  publicise: 2018-07-11        # 公示材料报送县绩效办\n"
		    "  complete: 2018-11-20         # 整改完成时限\n"
		    "  self_review: 2018-11-30      # 自查自评并填报完成情况一览表\n"
		    "units:\n", county, county);
	for (unsigned i = 0; i < units; i++)
		bprintf(&b, "  - {code: %s, name: %s, kind: %s}\n", us[i].code, us[i].name,
			kind_names[us[i].kind]);
	snprintf(path, sizeof path, "%s/zg.yaml", dir);
	write_file(path, &b);
	uint64_t bytes = b.len;
	unsigned long files = 1;

	/* ledgers */
	struct faults f = { 0 };
	unsigned faulty = 0;
	for (unsigned i = 0; i < units; i++) {
		const struct unit *u = &us[i];
		struct rng r = { seed * UINT64_C(0x100000001B3) ^ (uint64_t)(i + 1) * UINT64_C(0x9E3779B97F4A7C15) };
		(void)next64(&r);
		struct unit_state st = { .next_no = 1 + rnd(&r, 20) };
		b.len = 0;
		bprintf(&b, "# %s 2017年度社会评价群众意见建议整改台账\n", u->name);
		if (u->kind == BUREAU)
			bprintf(&b, "# 责任股室：%s、%s、%s\n", u->bureau->sections[0],
				u->bureau->sections[1], u->bureau->sections[2]);
		else
			bprintf(&b, "# 联系人：%s党政办 %s某\n", u->name, PICK(&r, surnames));
		bprintf(&b, "unit: %s\nitems:\n", u->code);
		for (unsigned n = 1; n <= items; n++)
			gen_item(&b, &r, u, &st, n, &f, &faulty);
		snprintf(path, sizeof path, "%s/ledgers/%s.yaml", dir, u->code);
		write_file(path, &b);
		bytes += b.len;
		files++;
	}

	/* the manifest: parameters, totals and the planned faults */
	struct buf m = { 0 };
	bprintf(&m, "zg-gen %d units=%lu items=%lu seed=%" PRIu64 "\n", GEN_VERSION, units, items, seed);
	bprintf(&m, "files %lu\nitems %lu\nbytes %" PRIu64 "\nfaults %u\n", files, units * items,
		bytes, f.n);
	if (f.list.s)
		bputs(&m, f.list.s);
	snprintf(path, sizeof path, "%s/zg-gen.txt", dir);
	write_file(path, &m);

	printf("zg-gen: %lu files, %lu items, %" PRIu64 " bytes (%.1f MB) in %s; "
	       "%u planned faults in %u items, listed in %s\n",
	       files, units * items, bytes, (double)bytes / 1e6, dir, f.n, faulty, path);
	free(b.s);
	free(m.s);
	free(f.list.s);
	free(us);
	return fclose(stdout) == 0 ? 0 : 2;
}
