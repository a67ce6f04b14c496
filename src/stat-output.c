/* Formats counting results the way perf stat users read them, plus stable CSV and JSON. */
#include "hwprof/stat-output.h"
#include "hwprof/json.h"
#include "hwprof/metrics.h"
#include "hwprof/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool is_clock(const struct perf_event_attr *a)
{
	return a->type == PERF_TYPE_SOFTWARE &&
	       (a->config == PERF_COUNT_SW_TASK_CLOCK || a->config == PERF_COUNT_SW_CPU_CLOCK);
}

/* Value in the unit it is shown in: clocks in msec, everything else a count. */
static double shown_value(const struct stat_row *row, const char **unit)
{
	if (is_clock(row->attr)) {
		*unit = "msec";
		return row->value / 1e6;
	}
	*unit = "";
	return row->value;
}

static const char *status_text(enum stat_status s)
{
	switch (s) {
	case STAT_COUNTED: return "counted";
	case STAT_NOT_SUPPORTED: return "not supported";
	case STAT_NOT_COUNTED: return "not counted";
	}
	return "?";
}

static struct metric_input *metric_inputs(const struct stat_result *r)
{
	struct metric_input *in = xcalloc(r->nr, sizeof(*in));

	for (size_t i = 0; i < r->nr; i++) {
		in[i].attr = r->rows[i].attr;
		in[i].value = r->rows[i].value;
		in[i].counted = r->rows[i].status == STAT_COUNTED;
	}
	return in;
}

static void print_metric(FILE *f, const struct metric *m)
{
	double v = m->value;
	const char *prefix = "";

	if (m->unit[0] == '%') {
		fprintf(f, "%8.2f%s", v, m->unit);
		return;
	}
	if (!strcmp(m->unit, "/sec")) {
		if (v >= 1e9) {
			v /= 1e9;
			prefix = "G";
		} else if (v >= 1e6) {
			v /= 1e6;
			prefix = "M";
		} else if (v >= 1e3) {
			v /= 1e3;
			prefix = "K";
		}
		fprintf(f, "%8.3f %s/sec", v, prefix);
		return;
	}
	fprintf(f, "%8.3f %s", v, m->unit);
}

void stat_print_table(FILE *f, const struct stat_result *r)
{
	struct metric_input *in = metric_inputs(r);

	fprintf(f, "\n Performance counter stats for %s", r->target);
	if (r->runs > 1)
		fprintf(f, " (%u runs)", r->runs);
	fputs(":\n\n", f);
	for (size_t i = 0; i < r->nr; i++) {
		const struct stat_row *row = &r->rows[i];
		struct metric m[METRICS_PER_ROW_MAX];
		size_t nm = metrics_for_row(in, r->nr, i, r->wall_s * 1e9, m);
		const char *unit;
		double v = shown_value(row, &unit);

		if (row->status == STAT_COUNTED) {
			if (*unit)
				fprintf(f, "%18.2f %-4s", v, unit);
			else
				fprintf(f, "%18.0f %-4s", v, "");
		} else {
			fprintf(f, "%18s %-4s", row->status == STAT_NOT_SUPPORTED ? "<not supported>"
										  : "<not counted>", "");
		}
		bool suffix = nm || (row->status == STAT_COUNTED &&
				     (r->runs > 1 || row->running_pct < 100.0));
		fprintf(f, suffix ? " %-32s" : " %s", row->name);
		if (nm) {
			fputs(" # ", f);
			print_metric(f, &m[0]);
		}
		if (row->status == STAT_COUNTED && r->runs > 1)
			fprintf(f, "  ( +- %5.2f%% )", row->stddev_pct);
		if (row->status == STAT_COUNTED && row->running_pct < 100.0)
			fprintf(f, "  (%.2f%%)", row->running_pct);
		fputc('\n', f);
		for (size_t k = 1; k < nm; k++) {
			fprintf(f, "%18s %-4s %-32s # ", "", "", "");
			print_metric(f, &m[k]);
			fputc('\n', f);
		}
	}
	fprintf(f, "\n%18.9f seconds time elapsed", r->wall_s);
	if (r->runs > 1)
		fprintf(f, "  ( +- %5.2f%% )", r->wall_stddev_pct);
	fputc('\n', f);
	if (r->have_rusage) {
		fprintf(f, "\n%18.9f seconds user\n", r->user_s);
		fprintf(f, "%18.9f seconds sys\n", r->sys_s);
	}
	fputc('\n', f);
	free(in);
}

void stat_print_csv(FILE *f, const struct stat_result *r, const char *sep)
{
	struct metric_input *in = metric_inputs(r);

	for (size_t i = 0; i < r->nr; i++) {
		const struct stat_row *row = &r->rows[i];
		struct metric m[METRICS_PER_ROW_MAX];
		size_t nm = metrics_for_row(in, r->nr, i, r->wall_s * 1e9, m);
		const char *unit;
		double v = shown_value(row, &unit);

		if (row->status == STAT_COUNTED)
			fprintf(f, *unit ? "%.2f" : "%.0f", v);
		else
			fprintf(f, "<%s>", status_text(row->status));
		fprintf(f, "%s%s%s%s%s", sep, unit, sep, row->name, sep);
		if (r->runs > 1 && row->status == STAT_COUNTED)
			fprintf(f, "%.2f", row->stddev_pct);
		fprintf(f, "%s%llu%s%.2f", sep, (unsigned long long)row->running_ns, sep,
			row->status == STAT_COUNTED ? row->running_pct : 0.0);
		for (size_t k = 0; k < METRICS_PER_ROW_MAX; k++) {
			if (k < nm)
				fprintf(f, "%s%.3f%s%s", sep, m[k].value, sep, m[k].unit);
			else
				fprintf(f, "%s%s", sep, sep);
		}
		fputc('\n', f);
	}
	free(in);
}

void stat_print_json(FILE *f, const struct stat_result *r)
{
	struct metric_input *in = metric_inputs(r);
	struct json j;

	json_init(&j, f, true);
	json_object(&j);
	json_key(&j, "target");
	json_string(&j, r->target);
	json_key(&j, "runs");
	json_uint(&j, r->runs);
	json_key(&j, "elapsed_s");
	json_number(&j, r->wall_s);
	json_key(&j, "elapsed_stddev_pct");
	json_number(&j, r->wall_stddev_pct);
	json_key(&j, "user_s");
	json_number(&j, r->have_rusage ? r->user_s : NAN);
	json_key(&j, "sys_s");
	json_number(&j, r->have_rusage ? r->sys_s : NAN);
	json_key(&j, "exit_status");
	if (r->have_exit_status)
		json_number(&j, r->exit_status);
	else
		json_null(&j);
	json_key(&j, "events");
	json_array(&j);
	for (size_t i = 0; i < r->nr; i++) {
		const struct stat_row *row = &r->rows[i];
		struct metric m[METRICS_PER_ROW_MAX];
		size_t nm = metrics_for_row(in, r->nr, i, r->wall_s * 1e9, m);
		const char *unit;
		double v = shown_value(row, &unit);

		json_object(&j);
		json_key(&j, "event");
		json_string(&j, row->name);
		json_key(&j, "status");
		json_string(&j, status_text(row->status));
		json_key(&j, "value");
		json_number(&j, row->status == STAT_COUNTED ? v : NAN);
		json_key(&j, "unit");
		json_string(&j, unit);
		json_key(&j, "stddev_pct");
		json_number(&j, row->status == STAT_COUNTED ? row->stddev_pct : NAN);
		json_key(&j, "run_ns");
		json_uint(&j, row->running_ns);
		json_key(&j, "running_pct");
		json_number(&j, row->status == STAT_COUNTED ? row->running_pct : 0.0);
		json_key(&j, "metrics");
		json_array(&j);
		for (size_t k = 0; k < nm; k++) {
			json_object(&j);
			json_key(&j, "value");
			json_number(&j, m[k].value);
			json_key(&j, "unit");
			json_string(&j, m[k].unit);
			json_end(&j);
		}
		json_end(&j);
		if (row->reason) {
			json_key(&j, "reason");
			json_string(&j, row->reason);
		}
		json_end(&j);
	}
	json_end(&j);
	json_key(&j, "notes");
	json_array(&j);
	for (size_t i = 0; i < r->nnotes; i++)
		json_string(&j, r->notes[i]);
	json_end(&j);
	json_end(&j);
	free(in);
}
