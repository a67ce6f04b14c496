/* Sampling events on every CPU, one ring per CPU, drained into a record callback. */
#include "hwprof/sampler.h"
#include "hwprof/arch.h"
#include "hwprof/perf_sys.h"
#include "hwprof/util.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

uint16_t kernel_max_stack(void)
{
	char *text;
	unsigned long v = 127;

	if (read_small_file("/proc/sys/kernel/perf_event_max_stack", &text) == 0) {
		v = strtoul(text, NULL, 10);
		free(text);
	}
	return (uint16_t)(v && v <= UINT16_MAX ? v : 127);
}

void sampler_attr(const struct evlist *el, size_t i, const struct sampler_config *cfg, bool tracking,
		  struct perf_event_attr *a)
{
	const struct evsel *ev = &el->ev[i];
	const struct evsel *leader = &el->ev[ev->leader];
	bool leader_sampling = (leader->attr.sample_type & PERF_SAMPLE_READ) && leader->group_size > 1;

	*a = ev->attr;
	a->size = sizeof(*a);
	a->sample_type = SAMPLER_BASE_SAMPLE_TYPE;
	a->read_format = 0;
	if (leader_sampling) {
		a->sample_type |= PERF_SAMPLE_READ;
		a->read_format = PERF_FORMAT_GROUP | PERF_FORMAT_ID;
	}
	if (leader_sampling && ev != leader) {
		/* Members are read with the leader's samples and never sample themselves. */
		a->freq = 0;
		a->sample_period = 0;
	} else if ((a->type == PERF_TYPE_TRACEPOINT && cfg->use_freq) ||
		   (cfg->offcpu && a->type == PERF_TYPE_SOFTWARE && a->config == PERF_COUNT_SW_CONTEXT_SWITCHES)) {
		/* Every hit: of a tracepoint as perf does unless -c says otherwise;
		 * of a switch-out, for the stack where each wait begins. */
		a->freq = 0;
		a->sample_period = 1;
	} else if (cfg->use_freq) {
		a->freq = 1;
		a->sample_freq = cfg->freq;
	} else {
		a->freq = 0;
		a->sample_period = cfg->period;
	}
	if (cfg->callgraph != CALLGRAPH_NONE) {
		a->sample_type |= PERF_SAMPLE_CALLCHAIN;
		/* Said explicitly (0 means the same), so that readers of the file
		 * know where chains were cut. */
		a->sample_max_stack = kernel_max_stack();
	}
	if (cfg->callgraph == CALLGRAPH_LBR) {
		/* As perf does: the hardware's call stack of user code, with the
		 * index of its newest entry, without flags or cycles. */
		a->sample_type |= PERF_SAMPLE_BRANCH_STACK;
		a->branch_sample_type = PERF_SAMPLE_BRANCH_USER | PERF_SAMPLE_BRANCH_CALL_STACK |
					PERF_SAMPLE_BRANCH_NO_FLAGS | PERF_SAMPLE_BRANCH_NO_CYCLES |
					PERF_SAMPLE_BRANCH_HW_INDEX;
	}
	if (cfg->callgraph == CALLGRAPH_FP) {
		/* What the recorder needs to find the caller a frameless function's
		 * chain skips (framefix.h); dropped before the sample is written. */
		a->sample_type |= PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
		a->sample_regs_user = arch_host()->fp_regs_mask;
		a->sample_stack_user = SAMPLER_FP_STACK;
	}
	if (cfg->callgraph == CALLGRAPH_DWARF) {
		a->sample_type |= PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
		a->sample_regs_user = arch_host()->user_regs_mask;
		a->sample_stack_user = cfg->stack_size;
		/* The kernel would walk user frame pointers too; the stack copy replaces them. */
		a->exclude_callchain_user = 1;
	}
	if (a->type == PERF_TYPE_TRACEPOINT)
		a->sample_type |= PERF_SAMPLE_RAW;	/* the tracepoint's fields */
	a->sample_id_all = 1;
	a->disabled = 1;
	a->inherit = cfg->inherit;
	a->enable_on_exec = cfg->enable_on_exec;
	if (tracking) {
		/* DWARF unwinders read .eh_frame_hdr and data through non-exec mappings. */
		a->mmap_data = cfg->callgraph == CALLGRAPH_DWARF;
		a->mmap = 1;
		a->mmap2 = 1;
		a->comm = 1;
		a->comm_exec = 1;
		a->task = 1;
		a->context_switch = cfg->offcpu;
	}
}

static int open_one(struct sampler_event *e, pid_t pid, int cpu, int group_fd)
{
	int fd = perf_event_open(&e->attr, pid, cpu, group_fd, PERF_FLAG_FD_CLOEXEC);

	if (fd < 0 && (errno == EACCES || errno == EPERM) && !e->attr.exclude_kernel) {
		/* As perf under perf_event_paranoid >= 2: sample user space only. */
		e->attr.exclude_kernel = 1;
		e->attr.exclude_hv = 1;
		e->attr.exclude_callchain_kernel = 1;
		fd = perf_event_open(&e->attr, pid, cpu, group_fd, PERF_FLAG_FD_CLOEXEC);
		if (fd >= 0) {
			e->user_only = true;
		} else {
			e->attr.exclude_kernel = 0;
			e->attr.exclude_hv = 0;
			e->attr.exclude_callchain_kernel = 0;
			errno = EACCES;
		}
	}
	if (fd < 0 && errno == EINVAL && e->attr.inherit && (e->attr.sample_type & PERF_SAMPLE_READ)) {
		/* Kernels before 6.12 refuse inherit together with PERF_SAMPLE_READ. */
		e->attr.inherit = 0;
		fd = perf_event_open(&e->attr, pid, cpu, group_fd, PERF_FLAG_FD_CLOEXEC);
		if (fd >= 0)
			e->no_inherit = true;
		else {
			e->attr.inherit = 1;
			errno = EINVAL;
		}
	}
	return fd < 0 ? -errno : fd;
}

int sampler_open(struct sampler *s, const struct evlist *el, const struct sampler_config *cfg,
		 const pid_t *tids, size_t ntids, size_t mmap_pages, size_t *failed_event)
{
	size_t per_cpu = tids ? ntids : 1;
	int rc;

	memset(s, 0, sizeof(*s));
	*failed_event = 0;
	rc = online_cpus(&s->cpus);
	if (rc < 0)
		return rc;
	s->ncpus = (size_t)rc;
	s->el = el;
	s->nev = el->nr;
	s->nslots = s->ncpus * per_cpu;
	s->ev = xcalloc(s->nev, sizeof(*s->ev));
	s->fds = xmalloc(s->nev * s->nslots * sizeof(*s->fds));
	for (size_t i = 0; i < s->nev * s->nslots; i++)
		s->fds[i] = -1;
	s->rings = xcalloc(s->ncpus, sizeof(*s->rings));
	s->pfds = xcalloc(s->ncpus + 1, sizeof(*s->pfds));
	for (size_t i = 0; i < s->nev; i++) {
		sampler_attr(el, i, cfg, i == 0, &s->ev[i].attr);
		s->ev[i].ids = xcalloc(s->nslots, sizeof(uint64_t));
	}

	for (size_t c = 0; c < s->ncpus; c++) {
		int ring_fd = -1;

		for (size_t t = 0; t < per_cpu; t++) {
			size_t slot = c * per_cpu + t;
			pid_t pid = tids ? tids[t] : -1;

			for (size_t i = 0; i < s->nev; i++) {
				struct sampler_event *e = &s->ev[i];
				size_t leader = el->ev[i].leader;
				int group_fd = leader != i ? s->fds[leader * s->nslots + slot] : -1;
				int fd;

				if (leader != i && group_fd < 0)
					continue; /* the thread was gone when its leader opened */
				fd = open_one(e, pid, s->cpus[c], group_fd);
				if (fd == -ESRCH && tids && ntids > 1)
					continue; /* one of several threads exited meanwhile */
				if (fd < 0) {
					*failed_event = i;
					return fd;
				}
				s->fds[i * s->nslots + slot] = fd;
				if (ioctl(fd, PERF_EVENT_IOC_ID, &e->ids[e->nids]) < 0)
					return -errno;
				e->nids++;
				if (ring_fd < 0) {
					rc = ring_open(&s->rings[s->nrings], fd, mmap_pages);
					if (rc < 0)
						return rc;
					s->pfds[s->nrings].fd = fd;
					s->pfds[s->nrings].events = POLLIN;
					s->nrings++;
					ring_fd = fd;
				} else if (ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT, ring_fd) < 0) {
					return -errno;
				}
			}
		}
	}
	if (s->nrings == 0)
		return -ESRCH;
	return 0;
}

static int ioctl_all(struct sampler *s, unsigned long req)
{
	for (size_t i = 0; i < s->nev * s->nslots; i++)
		if (s->fds[i] >= 0 && ioctl(s->fds[i], req, 0) < 0 && errno != ESRCH)
			return -errno;
	return 0;
}

int sampler_enable(struct sampler *s)
{
	return ioctl_all(s, PERF_EVENT_IOC_ENABLE);
}

int sampler_disable(struct sampler *s)
{
	return ioctl_all(s, PERF_EVENT_IOC_DISABLE);
}

int sampler_poll(struct sampler *s, int timeout_ms, int extra_fd, const sigset_t *sigmask)
{
	struct timespec ts = { timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L };
	size_t n = s->nrings;
	int r;

	s->pfds[n].fd = extra_fd;
	s->pfds[n].events = POLLIN;
	s->pfds[n].revents = 0;
	r = ppoll(s->pfds, n + (extra_fd >= 0), &ts, sigmask);
	if (r <= 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		/* A ring whose tasks all exited reports POLLHUP forever; stop asking it. */
		if (s->pfds[i].revents & (POLLHUP | POLLERR))
			s->pfds[i].fd = -1;
	}
	return extra_fd >= 0 && (s->pfds[n].revents & (POLLIN | POLLHUP)) ? 1 : 0;
}

long sampler_drain(struct sampler *s, sampler_peek_fn peek, sampler_record_fn fn, void *ctx)
{
	long nrec = 0;

	for (size_t i = 0; i < s->nrings; i++)
		s->bytes_read += ring_begin(&s->rings[i]);
	if (peek) {
		/* Every ring's records once before any is handed on: a sample in
		 * one ring may need an mmap that waits in another. */
		for (size_t i = 0; i < s->nrings; i++) {
			struct ring *r = &s->rings[i];
			uint64_t tail = r->tail;
			const struct perf_event_header *h;

			while ((h = ring_next(r)))
				peek(ctx, h);
			r->tail = tail;
		}
	}
	for (size_t i = 0; i < s->nrings; i++) {
		struct ring *r = &s->rings[i];
		const struct perf_event_header *h;

		while ((h = ring_next(r))) {
			int rc = fn(ctx, h);
			if (rc < 0) {
				ring_end(r);
				return rc;
			}
			nrec++;
		}
		ring_end(r);
	}
	return nrec;
}

void sampler_close(struct sampler *s)
{
	for (size_t i = 0; i < s->nrings; i++)
		ring_close(&s->rings[i]);
	if (s->fds)
		for (size_t i = 0; i < s->nev * s->nslots; i++)
			if (s->fds[i] >= 0)
				close(s->fds[i]);
	for (size_t i = 0; i < s->nev && s->ev; i++)
		free(s->ev[i].ids);
	free(s->ev);
	free(s->fds);
	free(s->cpus);
	free(s->rings);
	free(s->pfds);
	memset(s, 0, sizeof(*s));
}
