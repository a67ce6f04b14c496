/* Counting groups: perf_event_open per slot, group leaders, enable/disable, reads and multiplex scaling. */
#include "hwprof/counters.h"
#include "hwprof/perf_sys.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int open_slot(struct counter *c, const struct counter_target *t, size_t slot, int group_fd)
{
	pid_t pid = t->tids ? t->tids[slot] : -1;
	int cpu = t->tids ? -1 : t->cpus[slot];
	int fd = perf_event_open(&c->attr, pid, cpu, group_fd, PERF_FLAG_FD_CLOEXEC);

	if (fd < 0 && (errno == EACCES || errno == EPERM) && !c->attr.exclude_kernel) {
		/* perf does the same under perf_event_paranoid >= 2: count user space only. */
		c->attr.exclude_kernel = 1;
		c->attr.exclude_hv = 1;
		fd = perf_event_open(&c->attr, pid, cpu, group_fd, PERF_FLAG_FD_CLOEXEC);
		if (fd >= 0)
			c->user_only = true;
		else {
			c->attr.exclude_kernel = 0;
			c->attr.exclude_hv = 0;
			errno = EACCES;
		}
	}
	return fd < 0 ? -errno : fd;
}

static void close_counter_fds(struct counter *c, size_t nslots)
{
	for (size_t s = 0; s < nslots; s++) {
		if (c->fds[s] >= 0)
			close(c->fds[s]);
		c->fds[s] = -1;
	}
}

int counters_open(struct counters *cs, const struct evlist *el, const struct counter_target *t)
{
	size_t nslots = t->tids ? t->ntids : t->ncpus;

	memset(cs, 0, sizeof(*cs));
	if (nslots == 0)
		return -EINVAL;
	cs->nslots = nslots;
	cs->nr = el->nr;
	cs->c = xcalloc(el->nr, sizeof(*cs->c));
	for (size_t i = 0; i < el->nr; i++) {
		struct counter *c = &cs->c[i];
		c->ev = &el->ev[i];
		c->attr = el->ev[i].attr;
		c->attr.size = sizeof(c->attr);
		c->attr.sample_type = 0;
		c->attr.sample_period = 0;
		c->attr.freq = 0;
		c->attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
		c->attr.disabled = 1;
		c->attr.inherit = t->tids != NULL;
		c->attr.enable_on_exec = t->enable_on_exec;
		c->fds = xmalloc(nslots * sizeof(*c->fds));
		for (size_t s = 0; s < nslots; s++)
			c->fds[s] = -1;
	}
	for (size_t i = 0; i < el->nr; i++) {
		struct counter *c = &cs->c[i];
		const struct counter *leader = &cs->c[el->ev[i].leader];
		size_t opened = 0;

		if (leader != c && leader->err) {
			c->err = leader->err;
			continue;
		}
		for (size_t s = 0; s < nslots; s++) {
			int group_fd = leader != c ? leader->fds[s] : -1;
			int fd;

			if (leader != c && group_fd < 0)
				continue; /* that thread was gone when the leader opened */
			fd = open_slot(c, t, s, group_fd);
			if (fd == -ESRCH && t->tids) /* thread exited meanwhile */
				continue;
			if (fd < 0) {
				c->err = -fd;
				close_counter_fds(c, nslots);
				break;
			}
			c->fds[s] = fd;
			opened++;
		}
		if (!c->err && opened == 0)
			c->err = ESRCH;
	}
	return 0;
}

static int ioctl_all(struct counters *cs, unsigned long req)
{
	for (size_t i = 0; i < cs->nr; i++)
		for (size_t s = 0; s < cs->nslots; s++)
			if (cs->c[i].fds[s] >= 0 && ioctl(cs->c[i].fds[s], req, 0) < 0)
				return -errno;
	return 0;
}

int counters_enable(struct counters *cs)
{
	return ioctl_all(cs, PERF_EVENT_IOC_ENABLE);
}

int counters_disable(struct counters *cs)
{
	return ioctl_all(cs, PERF_EVENT_IOC_DISABLE);
}

int counters_read(struct counters *cs)
{
	for (size_t i = 0; i < cs->nr; i++) {
		struct counter *c = &cs->c[i];
		c->value = c->enabled = c->running = 0;
		for (size_t s = 0; s < cs->nslots; s++) {
			uint64_t v[3];
			ssize_t n;

			if (c->fds[s] < 0)
				continue;
			n = read(c->fds[s], v, sizeof(v));
			if (n < 0)
				return -errno;
			if (n != (ssize_t)sizeof(v))
				return -EIO;
			c->value += v[0];
			c->enabled += v[1];
			c->running += v[2];
		}
	}
	return 0;
}

void counters_close(struct counters *cs)
{
	for (size_t i = 0; i < cs->nr; i++) {
		close_counter_fds(&cs->c[i], cs->nslots);
		free(cs->c[i].fds);
	}
	free(cs->c);
	memset(cs, 0, sizeof(*cs));
}

double counter_scaled(const struct counter *c)
{
	if (c->running == 0)
		return 0;
	if (c->running >= c->enabled)
		return (double)c->value;
	return (double)c->value * (double)c->enabled / (double)c->running;
}

int counters_try_open(__u32 type, __u64 config)
{
	struct perf_event_attr a = {
		.size = sizeof(a),
		.type = type,
		.config = config,
		.disabled = 1,
		.exclude_kernel = 1,
		.exclude_hv = 1,
	};
	int fd = perf_event_open(&a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

int hwpmu_probe(void)
{
	int rc = counters_try_open(PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES);

	if (rc == -ENOENT || rc == -ENODEV || rc == -EOPNOTSUPP)
		return -HWPROF_E_NOPMU;
	return rc;
}

int perf_paranoid(void)
{
	char *text;
	int v;

	if (read_small_file("/proc/sys/kernel/perf_event_paranoid", &text) < 0)
		return INT_MIN;
	v = atoi(text);
	free(text);
	return v;
}

void counters_explain(int err, const struct perf_event_attr *attr, bool no_pmu, struct strbuf *out)
{
	bool hw = attr->type == PERF_TYPE_HARDWARE || attr->type == PERF_TYPE_HW_CACHE ||
		  attr->type == PERF_TYPE_RAW;

	if (hw && no_pmu && (err == ENOENT || err == ENODEV || err == EOPNOTSUPP)) {
		sb_puts(out, "this kernel has no hardware PMU (usual in virtual machines); "
			     "software events such as task-clock, cpu-clock and page-faults still work");
		return;
	}
	switch (err) {
	case ENOENT:
		sb_puts(out, "this CPU's PMU does not provide this event");
		break;
	case EOPNOTSUPP:
		sb_puts(out, "the PMU does not support this event in this mode "
			     "(sampling, precise ':p' or privilege filter)");
		break;
	case EACCES:
	case EPERM: {
		int p = perf_paranoid();
		if (p != INT_MIN)
			sb_printf(out, "permission denied: kernel.perf_event_paranoid is %d; "
				       "run as root, grant CAP_PERFMON, or lower it with "
				       "'sysctl kernel.perf_event_paranoid=N' (1: kernel code of "
				       "your processes, 0: system-wide, -1: everything)", p);
		else
			sb_puts(out, "permission denied by the kernel");
		break;
	}
	case EINVAL:
		sb_puts(out, "the kernel rejected the event's settings (config, modifiers or group)");
		break;
	case EMFILE:
		sb_puts(out, "too many open files: raise the limit with 'ulimit -n'");
		break;
	case EBUSY:
		sb_puts(out, "the counter is in use by another tool (NMI watchdog or another profiler)");
		break;
	case ESRCH:
		sb_puts(out, "no such process or thread");
		break;
	default:
		sb_puts(out, strerror(err));
	}
}
