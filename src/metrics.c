/* Derived metrics: the one place IPC, miss rates and MPKI are defined, for stat and report alike. */
#include "hwprof/metrics.h"
#include "hwprof/events.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static double ratio(double num, double den)
{
	if (isnan(num) || isnan(den) || den == 0)
		return NAN;
	return num / den;
}

double metric_ipc(double instructions, double cycles)
{
	return ratio(instructions, cycles);
}

double metric_mpki(double misses, double instructions)
{
	return ratio(misses * 1000.0, instructions);
}

double metric_pct(double part, double whole)
{
	return ratio(part * 100.0, whole);
}

static bool same_privilege(const struct perf_event_attr *a, const struct perf_event_attr *b)
{
	return a->exclude_user == b->exclude_user && a->exclude_kernel == b->exclude_kernel;
}

/* The counted row of (type, config) that counts what ROW counts; NAN if none. */
static double partner(const struct metric_input *rows, size_t nr, size_t row, __u32 type,
		      __u64 config)
{
	for (size_t j = 0; j < nr; j++) {
		const struct perf_event_attr *a = rows[j].attr;
		if (rows[j].counted && a->type == type && a->config == config &&
		    same_privilege(a, rows[row].attr))
			return rows[j].value;
	}
	return NAN;
}

static bool add(struct metric *out, size_t *n, double v, const char *unit)
{
	if (isnan(v) || *n >= METRICS_PER_ROW_MAX)
		return false;
	out[*n].value = v;
	snprintf(out[*n].unit, sizeof(out[*n].unit), "%s", unit);
	(*n)++;
	return true;
}

static double task_ns(const struct metric_input *rows, size_t nr, size_t i)
{
	double t = partner(rows, nr, i, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK);
	return isnan(t) ? partner(rows, nr, i, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK) : t;
}

size_t metrics_for_row(const struct metric_input *rows, size_t nr, size_t i, double wall_ns,
		       struct metric out[METRICS_PER_ROW_MAX])
{
	const struct perf_event_attr *a = rows[i].attr;
	double v = rows[i].value;
	size_t n = 0;
	__u64 access;

	if (!rows[i].counted)
		return 0;
	if (a->type == PERF_TYPE_SOFTWARE) {
		switch (a->config) {
		case PERF_COUNT_SW_TASK_CLOCK:
		case PERF_COUNT_SW_CPU_CLOCK:
			add(out, &n, ratio(v, wall_ns), "CPUs utilized");
			break;
		case PERF_COUNT_SW_DUMMY:
			break;
		default:
			add(out, &n, ratio(v * 1e9, task_ns(rows, nr, i)), "/sec");
		}
		return n;
	}
	if (a->type == PERF_TYPE_HARDWARE) {
		double insns = partner(rows, nr, i, PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS);
		double cycles = partner(rows, nr, i, PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES);

		switch (a->config) {
		case PERF_COUNT_HW_CPU_CYCLES:
			add(out, &n, ratio(v, task_ns(rows, nr, i)), "GHz");
			break;
		case PERF_COUNT_HW_INSTRUCTIONS:
			add(out, &n, metric_ipc(v, cycles), "insn per cycle");
			break;
		case PERF_COUNT_HW_CACHE_MISSES:
			add(out, &n,
			    metric_pct(v, partner(rows, nr, i, PERF_TYPE_HARDWARE,
						  PERF_COUNT_HW_CACHE_REFERENCES)),
			    "% of all cache refs");
			add(out, &n, metric_mpki(v, insns), "MPKI");
			break;
		case PERF_COUNT_HW_BRANCH_MISSES:
			add(out, &n,
			    metric_pct(v, partner(rows, nr, i, PERF_TYPE_HARDWARE,
						  PERF_COUNT_HW_BRANCH_INSTRUCTIONS)),
			    "% of all branches");
			add(out, &n, metric_mpki(v, insns), "MPKI");
			break;
		case PERF_COUNT_HW_STALLED_CYCLES_FRONTEND:
			add(out, &n, metric_pct(v, cycles), "% frontend cycles idle");
			break;
		case PERF_COUNT_HW_STALLED_CYCLES_BACKEND:
			add(out, &n, metric_pct(v, cycles), "% backend cycles idle");
			break;
		default:
			add(out, &n, ratio(v * 1e9, task_ns(rows, nr, i)), "/sec");
		}
		return n;
	}
	if (events_cache_is_miss(a, &access)) {
		const char *access_name = events_name_of(PERF_TYPE_HW_CACHE, access);
		char unit[48];
		double insns = partner(rows, nr, i, PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS);

		snprintf(unit, sizeof(unit), "%% of all %s", access_name ? access_name : "accesses");
		add(out, &n, metric_pct(v, partner(rows, nr, i, PERF_TYPE_HW_CACHE, access)), unit);
		add(out, &n, metric_mpki(v, insns), "MPKI");
		return n;
	}
	add(out, &n, ratio(v * 1e9, task_ns(rows, nr, i)), "/sec");
	return n;
}

void runstat_add(struct runstat *r, double x)
{
	double d = x - r->mean;

	r->n++;
	r->mean += d / r->n;
	r->m2 += d * (x - r->mean);
}

double runstat_rel_stderr_pct(const struct runstat *r)
{
	double var, se;

	if (r->n < 2 || r->mean == 0)
		return 0;
	var = r->m2 / (r->n - 1);
	se = sqrt(var / r->n);
	return fabs(se / r->mean) * 100.0;
}
