/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel log parser: a line at a time, each line searched for the two
 * forms Linux prints (LNX-C arm_smmu_dump_raw_event, arm_smmu_dump_event),
 * whatever comes before them on the line (timestamps, "kernel:", the device
 * name). Every loop is bounded by the log's length; events are capped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emit.h"
#include "smmuv3_evtlog.h"

const struct pt_rule smmu_evtlog_rule_list[R_EVTLOG_COUNT] = {
	[R_EVTLOG_INCOMPLETE] = { "EVTLOG-INCOMPLETE", PT_SEV_ERROR, NULL,
		"an \"event 0xNN received:\" line is not followed by its four words",
		"the event is skipped", "Linux arm_smmu_dump_raw_event" },
	[R_EVTLOG_MISMATCH] = { "EVTLOG-MISMATCH", PT_SEV_WARNING, "id",
		"the event id in \"event 0xNN received:\" differs from word 0's",
		"the words are decoded as logged", "Linux arm_smmu_dump_raw_event" },
	[R_EVTLOG_UNKNOWN] = { "EVTLOG-UNKNOWN", PT_SEV_WARNING, NULL,
		"a decoded event line names an event pasidtool does not know",
		"the line is skipped", "Linux arm_smmu_dump_event" },
	[R_EVTLOG_TOO_MANY] = { "EVTLOG-TOO-MANY", PT_SEV_WARNING, NULL,
		"the log holds more events than pasidtool reads (4096)",
		"later events are skipped", "pasidtool: a cap against hostile input" },
	[R_EVTLOG_LINE] = { "EVTLOG-LINE", PT_SEV_NOTE, NULL,
		"a log line is longer than 4096 bytes", "the line is skipped",
		"pasidtool: a cap against hostile input" },
	[R_EVTLOG_NONE] = { "EVTLOG-NONE", PT_SEV_ERROR, NULL,
		"the log holds no SMMUv3 event", "nothing to explain",
		"Linux arm_smmu_dump_raw_event, arm_smmu_dump_event" },
};

const struct pt_rule_set smmu_evtlog_rules = { "smmuv3-evtlog", smmu_evtlog_rule_list,
					       R_EVTLOG_COUNT };

/* How Linux names CLASS in the decoded form (LNX-C event_class_str). */
static const char *const class_text[] = { "CD fetch", "Stage 1 translation table fetch",
					  "Input address caused fault", "Reserved" };

struct parser {
	struct smmu_evtlog *log;
	struct pt_diag_sink *diags;
	/* A raw event being collected. */
	int collecting;
	unsigned words, gap, header_id, line;
	uint64_t offset;
	uint64_t w[4];
	/* The event the next detail line belongs to, and when it was added. */
	long last;
	unsigned last_line;
	int oom;
};

static void report(struct parser *p, enum smmu_evtlog_rule_id id, uint64_t offset,
		   const char *msg, unsigned line)
{
	pt_diag_finding(p->diags, &smmu_evtlog_rule_list[id], offset, PT_SCOPE_NONE, 0, NULL,
			"line %u: %s", line, msg);
}

static struct smmu_logged_event *push(struct parser *p, unsigned line, uint64_t offset)
{
	struct smmu_evtlog *l = p->log;
	if (l->n >= SMMU_EVTLOG_MAX_EVENTS) {
		if (!l->dropped++)
			report(p, R_EVTLOG_TOO_MANY, offset, "event skipped", line);
		return NULL;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct smmu_logged_event *v = realloc(l->ev, cap * sizeof *v);
		if (!v) {
			p->oom = 1;
			return NULL;
		}
		l->ev = v;
		l->cap = cap;
	}
	struct smmu_logged_event *e = &l->ev[l->n++];
	memset(e, 0, sizeof *e);
	e->line = line;
	e->offset = offset;
	p->last = (long)(l->n - 1);
	p->last_line = line;
	return e;
}

/* Hex number at s ("0x..." or bare digits); end set past it. -1 when none. */
static int hex_at(const char *s, uint64_t *v, const char **end)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	uint64_t x = 0;
	unsigned n = 0;
	for (; n < 17; n++, s++) {
		int d = (*s >= '0' && *s <= '9') ? *s - '0'
			: (*s >= 'a' && *s <= 'f') ? *s - 'a' + 10
			: (*s >= 'A' && *s <= 'F') ? *s - 'A' + 10 : -1;
		if (d < 0)
			break;
		x = x << 4 | (uint64_t)d;
	}
	if (n == 0 || n > 16)
		return -1;
	*v = x;
	if (end)
		*end = s;
	return 0;
}

/* "... event 0x10 received:" */
static int header(const char *line, unsigned *id)
{
	const char *s = strstr(line, "event 0x");
	uint64_t v;
	const char *end;
	if (!s || hex_at(s + 6, &v, &end) || v > 0xff || strncmp(end, " received:", 10) != 0)
		return 0;
	*id = (unsigned)v;
	return 1;
}

/* A word line: the line ends in "0x" and exactly 16 hex digits. */
static int word_line(const char *line, uint64_t *v)
{
	size_t n = strlen(line);
	while (n && (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == '\r'))
		n--;
	if (n < 18)
		return 0;
	const char *s = line + n - 18;
	if (s[0] != '0' || s[1] != 'x')
		return 0;
	if (n > 18 && s[-1] != ' ' && s[-1] != '\t' && s[-1] != ':')
		return 0;
	const char *end;
	return hex_at(s, v, &end) == 0 && end == line + n;
}

static void finish_raw(struct parser *p)
{
	p->collecting = 0;
	if ((p->w[0] & 0xff) != p->header_id) {
		char msg[96];
		snprintf(msg, sizeof msg, "header says event 0x%02x, word 0 holds 0x%02x",
			 p->header_id, (unsigned)(p->w[0] & 0xff));
		report(p, R_EVTLOG_MISMATCH, p->offset, msg, p->line);
	}
	struct smmu_logged_event *e = push(p, p->line, p->offset);
	if (!e)
		return;
	for (unsigned i = 0; i < 4; i++)
		pt_put_le64(e->raw, i, p->w[i]);
	e->have_raw = 1;
}

static void abandon(struct parser *p)
{
	char msg[64];
	snprintf(msg, sizeof msg, "event 0x%02x: %u of 4 words", p->header_id, p->words);
	report(p, R_EVTLOG_INCOMPLETE, p->offset, msg, p->line);
	p->collecting = 0;
}

static void set_field(uint8_t *raw, const struct pt_struct *st, const char *name, uint64_t v)
{
	const struct pt_field *f = pt_struct_field(st, name);
	if (f)
		pt_field_set(raw, f, v);
}

/* "KEY: 0x..." after `from`; 0 when found. */
static int keyed_hex(const char *from, const char *key, uint64_t *v)
{
	const char *s = strstr(from, key);
	return s ? hex_at(s + strlen(key), v, NULL) : -1;
}

/* "event: NAME client: CLIENT sid: 0x8 ssid: 0x0 [iova: .. ipa: ..|fetch_addr: ..]" */
static void decoded_line(struct parser *p, const char *at, unsigned lineno, uint64_t offset)
{
	char name[32];
	const char *s = at + 7;
	size_t n = strcspn(s, " ");
	if (n == 0 || n >= sizeof name)
		return;
	memcpy(name, s, n);
	name[n] = 0;
	uint64_t sid, ssid = 0, v;
	const char *client = strstr(s, " client: ");
	if (!client || keyed_hex(client, " sid: ", &sid))
		return;
	keyed_hex(client, " ssid: ", &ssid);
	unsigned id;
	if (smmu_evt_parse_name(name, &id) != 0) {
		char msg[80];
		snprintf(msg, sizeof msg, "event name \"%s\"", name);
		report(p, R_EVTLOG_UNKNOWN, offset, msg, lineno);
		return;
	}
	struct smmu_logged_event *e = NULL;
	/* Newer kernels print the raw words first: the same event. */
	if (p->last >= 0 && lineno - p->last_line <= SMMU_EVTLOG_MAX_GAP + 5) {
		struct smmu_logged_event *prev = &p->log->ev[p->last];
		if (prev->have_raw && !prev->have_decoded && prev->raw[0] == id &&
		    pt_le64(prev->raw, 0) >> 32 == sid)
			e = prev;
	}
	if (!e) {
		e = push(p, lineno, offset);
		if (!e)
			return;
		const struct pt_struct *st = smmu_evt_struct(id);
		set_field(e->raw, st, "id", id);
		set_field(e->raw, st, "sid", sid);
		/* Linux prints SSID 0 (IOMMU_NO_PASID) when SSV = 0. */
		set_field(e->raw, st, "ssid", ssid);
		set_field(e->raw, st, "ssv", ssid != 0);
		if (keyed_hex(client, " iova: ", &v) == 0)
			set_field(e->raw, st, "address", v);
		if (keyed_hex(client, " ipa: ", &v) == 0)
			set_field(e->raw, st, "ipa", v);
		if (keyed_hex(client, " fetch_addr: ", &v) == 0)
			set_field(e->raw, st, "fetch_addr", v);
	}
	e->have_decoded = 1;
	size_t cn = strcspn(client + 9, "\n");
	const char *send = strstr(client + 9, " sid: ");
	if (send && (size_t)(send - (client + 9)) < cn)
		cn = (size_t)(send - (client + 9));
	if (cn >= sizeof e->client)
		cn = sizeof e->client - 1;
	memcpy(e->client, client + 9, cn);
	e->client[cn] = 0;
}

/* Skip `word` at *s when it is there. */
static int eat(const char **s, const char *word)
{
	size_t n = strlen(word);
	if (strncmp(*s, word, n) != 0)
		return 0;
	*s += n;
	return 1;
}

/* "unpriv data read s1 \"Input address caused fault\" ttd_read stall stag: 0x0":
 * fills an event that came from a decoded line alone. */
static void detail_line(struct parser *p, const char *at, unsigned lineno)
{
	if (p->last < 0 || lineno != p->last_line + 1)
		return;
	struct smmu_logged_event *e = &p->log->ev[p->last];
	if (e->have_raw)
		return; /* the words say it all */
	const struct pt_struct *st = smmu_evt_struct(e->raw[0]);
	if (!st)
		return;
	const char *s = at + 2;
	int priv = eat(&s, "priv "), unpriv = !priv && eat(&s, "unpriv ");
	int inst = eat(&s, "inst "), data = !inst && eat(&s, "data ");
	int read = eat(&s, "read "), write = !read && eat(&s, "write ");
	int s2 = eat(&s, "s2 "), s1 = !s2 && eat(&s, "s1 ");
	if (!(priv || unpriv) || !(inst || data) || !(read || write) || !(s1 || s2))
		return;
	set_field(e->raw, st, "pnu", (uint64_t)priv);
	set_field(e->raw, st, "ind", (uint64_t)inst);
	set_field(e->raw, st, "rnw", (uint64_t)read);
	set_field(e->raw, st, "s2", (uint64_t)s2);
	const char *q = strchr(s, '"');
	for (unsigned c = 0; q && c < 4; c++)
		if (strncmp(q + 1, class_text[c], strlen(class_text[c])) == 0)
			set_field(e->raw, st, "class", c);
	set_field(e->raw, st, "ttrnw", strstr(s, " ttd_read") != NULL);
	set_field(e->raw, st, "stall", strstr(s, "\" stall") || strstr(s, " stall stag"));
	uint64_t stag;
	if (keyed_hex(s, "stag: ", &stag) == 0)
		set_field(e->raw, st, "stag", stag);
}

static void one_line(struct parser *p, const char *line, unsigned lineno, uint64_t offset)
{
	unsigned id;
	uint64_t v;
	if (header(line, &id)) {
		if (p->collecting)
			abandon(p);
		p->collecting = 1;
		p->words = p->gap = 0;
		p->header_id = id;
		p->line = lineno;
		p->offset = offset;
		return;
	}
	if (p->collecting) {
		if (word_line(line, &v)) {
			p->w[p->words++] = v;
			if (p->words == 4)
				finish_raw(p);
		} else if (++p->gap > SMMU_EVTLOG_MAX_GAP) {
			abandon(p);
		}
		if (p->collecting)
			return;
	}
	const char *at = strstr(line, "event: ");
	if (at && strstr(at, " client: ")) {
		decoded_line(p, at, lineno, offset);
		return;
	}
	at = strstr(line, ": unpriv ");
	if (!at)
		at = strstr(line, ": priv ");
	if (at)
		detail_line(p, at, lineno);
}

long smmu_evtlog_parse(const char *text, size_t len, struct smmu_evtlog *log,
		       struct pt_diag_sink *diags)
{
	struct parser p;
	memset(&p, 0, sizeof p);
	p.log = log;
	p.diags = diags;
	p.last = -1;
	char buf[SMMU_EVTLOG_MAX_LINE + 1];
	unsigned lineno = 0;
	for (size_t at = 0; at < len && !p.oom;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
		lineno++;
		if (n > SMMU_EVTLOG_MAX_LINE) {
			report(&p, R_EVTLOG_LINE, at, "skipped", lineno);
		} else {
			memcpy(buf, text + at, n);
			buf[n] = 0;
			/* NUL bytes end the line early: strstr sees the first part. */
			one_line(&p, buf, lineno, at);
		}
		at += n + 1;
	}
	if (p.collecting)
		abandon(&p);
	if (p.oom)
		return -1;
	if (log->n == 0)
		pt_diag_finding(diags, &smmu_evtlog_rule_list[R_EVTLOG_NONE], 0, PT_SCOPE_NONE, 0,
				NULL, "%u lines read", lineno);
	return (long)log->n;
}

void smmu_evtlog_free(struct smmu_evtlog *log)
{
	free(log->ev);
	memset(log, 0, sizeof *log);
}

int smmu_event_from_words(const char *spec, uint8_t raw[SMMU_EVT_SIZE], char *err,
			  size_t errlen)
{
	const char *s = spec;
	for (unsigned i = 0; i < 4; i++) {
		char word[24];
		size_t n = strcspn(s, ",");
		if (n == 0 || n >= sizeof word) {
			snprintf(err, errlen, "word %u: expected a number", i);
			return -1;
		}
		memcpy(word, s, n);
		word[n] = 0;
		uint64_t v;
		if (pt_parse_u64(word, &v) != 0) {
			snprintf(err, errlen, "word %u: '%s' is not a number", i, word);
			return -1;
		}
		pt_put_le64(raw, i, v);
		s += n;
		if (i < 3) {
			if (*s != ',') {
				snprintf(err, errlen, "expected four words W0,W1,W2,W3");
				return -1;
			}
			s++;
		}
	}
	if (*s) {
		snprintf(err, errlen, "expected four words W0,W1,W2,W3, got more");
		return -1;
	}
	return 0;
}
