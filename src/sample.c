/* Decoder for the kernel's sample layout; field order is fixed by include/uapi/linux/perf_event.h. */
#include "hwprof/sample.h"
#include "hwprof/buf.h"
#include "hwprof/util.h"

#include <string.h>

static uint64_t u64_at(const uint8_t *p, uint64_t i)
{
	uint64_t v;
	memcpy(&v, p + i * 8, 8);
	return v;
}

uint64_t sample_callchain(const struct sample *s, uint64_t i)
{
	return u64_at(s->callchain, i);
}

uint64_t sample_reg(const struct sample *s, uint64_t i)
{
	return u64_at(s->regs, i);
}

void sample_read_value(const struct sample *s, uint64_t i, uint64_t *value, uint64_t *id)
{
	const uint8_t *e = s->read_values + i * s->read_stride;

	memcpy(value, e, 8);
	*id = s->read_nr == 1 && s->read_stride == 8 ? s->read_id : 0;
	if (s->read_stride >= 16)
		memcpy(id, e + 8, 8);
}

static int parse_read(struct buf *b, uint64_t rf, struct sample *s)
{
	size_t stride = 8 + ((rf & PERF_FORMAT_ID) ? 8 : 0) + ((rf & PERF_FORMAT_LOST) ? 8 : 0);
	uint64_t nr = 1;

	if (rf & PERF_FORMAT_GROUP) {
		if (buf_u64(b, &nr) < 0)
			return -1;
		if (rf & PERF_FORMAT_TOTAL_TIME_ENABLED && buf_u64(b, &s->time_enabled) < 0)
			return -1;
		if (rf & PERF_FORMAT_TOTAL_TIME_RUNNING && buf_u64(b, &s->time_running) < 0)
			return -1;
		if (nr > buf_left(b) / stride)
			return -1;
		s->read_nr = nr;
		s->read_stride = stride;
		return buf_ptr(b, nr * stride, &s->read_values);
	}
	/* Single value: value, [enabled], [running], [id], [lost]. */
	s->read_nr = 1;
	s->read_stride = 8;
	if (buf_ptr(b, 8, &s->read_values) < 0)
		return -1;
	if (rf & PERF_FORMAT_TOTAL_TIME_ENABLED && buf_u64(b, &s->time_enabled) < 0)
		return -1;
	if (rf & PERF_FORMAT_TOTAL_TIME_RUNNING && buf_u64(b, &s->time_running) < 0)
		return -1;
	if (rf & PERF_FORMAT_ID && buf_u64(b, &s->read_id) < 0)
		return -1;
	if (rf & PERF_FORMAT_LOST && buf_skip(b, 8) < 0)
		return -1;
	return 0;
}

int sample_parse(const void *rec, size_t size, const struct sample_format *fmt, struct sample *s)
{
	uint64_t t = fmt->sample_type;
	struct buf b;
	uint64_t v;

	memset(s, 0, sizeof(*s));
	if (size < sizeof(struct perf_event_header))
		return -HWPROF_E_FORMAT;
	buf_init(&b, rec, size);
	buf_skip(&b, sizeof(struct perf_event_header));
	if (t & PERF_SAMPLE_IDENTIFIER)
		buf_u64(&b, &s->id);
	if (t & PERF_SAMPLE_IP)
		buf_u64(&b, &s->ip);
	if (t & PERF_SAMPLE_TID) {
		buf_u32(&b, &s->pid);
		buf_u32(&b, &s->tid);
	}
	if (t & PERF_SAMPLE_TIME)
		buf_u64(&b, &s->time);
	if (t & PERF_SAMPLE_ADDR)
		buf_u64(&b, &s->addr);
	if (t & PERF_SAMPLE_ID)
		buf_u64(&b, &s->id);
	if (t & PERF_SAMPLE_STREAM_ID)
		buf_u64(&b, &s->stream_id);
	if (t & PERF_SAMPLE_CPU) {
		buf_u32(&b, &s->cpu);
		buf_skip(&b, 4);
	}
	if (t & PERF_SAMPLE_PERIOD)
		buf_u64(&b, &s->period);
	if (t & PERF_SAMPLE_READ && parse_read(&b, fmt->read_format, s) < 0)
		return -HWPROF_E_FORMAT;
	if (t & PERF_SAMPLE_CALLCHAIN) {
		if (buf_u64(&b, &s->callchain_nr) < 0 || s->callchain_nr > buf_left(&b) / 8 ||
		    buf_ptr(&b, s->callchain_nr * 8, &s->callchain) < 0)
			return -HWPROF_E_FORMAT;
	}
	if (t & PERF_SAMPLE_RAW) {
		if (buf_u32(&b, &s->raw_size) < 0 || buf_ptr(&b, s->raw_size, &s->raw) < 0)
			return -HWPROF_E_FORMAT;
	}
	if (t & PERF_SAMPLE_BRANCH_STACK) {
		if (buf_u64(&b, &s->branch_nr) < 0)
			return -HWPROF_E_FORMAT;
		if (fmt->branch_hw_index)
			buf_skip(&b, 8);
		if (s->branch_nr > buf_left(&b) / 24 || buf_ptr(&b, s->branch_nr * 24, &s->branches) < 0)
			return -HWPROF_E_FORMAT;
	}
	if (t & PERF_SAMPLE_REGS_USER) {
		if (buf_u64(&b, &s->regs_abi) < 0)
			return -HWPROF_E_FORMAT;
		if (s->regs_abi) {
			s->regs_nr = (uint64_t)__builtin_popcountll(fmt->regs_user_mask);
			if (buf_ptr(&b, s->regs_nr * 8, &s->regs) < 0)
				return -HWPROF_E_FORMAT;
		}
	}
	if (t & PERF_SAMPLE_STACK_USER) {
		s->stack_offset = b.off;
		if (buf_u64(&b, &s->stack_size) < 0 || s->stack_size > buf_left(&b) ||
		    buf_ptr(&b, s->stack_size, &s->stack) < 0)
			return -HWPROF_E_FORMAT;
		if (s->stack_size && buf_u64(&b, &s->stack_dyn_size) < 0)
			return -HWPROF_E_FORMAT;
		if (s->stack_dyn_size > s->stack_size)
			return -HWPROF_E_FORMAT;
	}
	if (t & (PERF_SAMPLE_WEIGHT | PERF_SAMPLE_WEIGHT_STRUCT))
		buf_u64(&b, &s->weight);
	if (t & PERF_SAMPLE_DATA_SRC)
		buf_u64(&b, &s->data_src);
	if (t & PERF_SAMPLE_TRANSACTION)
		buf_u64(&b, &s->transaction);
	if (t & PERF_SAMPLE_REGS_INTR) {
		if (buf_u64(&b, &v) < 0)
			return -HWPROF_E_FORMAT;
		/* The interrupt register mask is not kept; such files are decoded up to here. */
		if (v)
			return b.bad ? -HWPROF_E_FORMAT : 0;
	}
	if (t & PERF_SAMPLE_PHYS_ADDR)
		buf_u64(&b, &s->phys_addr);
	return b.bad ? -HWPROF_E_FORMAT : 0;
}

size_t sample_id_size(uint64_t t)
{
	size_t n = 0;

	if (t & PERF_SAMPLE_TID)
		n += 8;
	if (t & PERF_SAMPLE_TIME)
		n += 8;
	if (t & PERF_SAMPLE_ID)
		n += 8;
	if (t & PERF_SAMPLE_STREAM_ID)
		n += 8;
	if (t & PERF_SAMPLE_CPU)
		n += 8;
	if (t & PERF_SAMPLE_IDENTIFIER)
		n += 8;
	return n;
}

int sample_id_parse(const void *rec, size_t size, uint64_t t, struct sample *s)
{
	size_t n = sample_id_size(t);
	struct buf b;

	memset(s, 0, sizeof(*s));
	if (size < sizeof(struct perf_event_header) + n)
		return -HWPROF_E_FORMAT;
	buf_init(&b, (const uint8_t *)rec + size - n, n);
	if (t & PERF_SAMPLE_TID) {
		buf_u32(&b, &s->pid);
		buf_u32(&b, &s->tid);
	}
	if (t & PERF_SAMPLE_TIME)
		buf_u64(&b, &s->time);
	if (t & PERF_SAMPLE_ID)
		buf_u64(&b, &s->id);
	if (t & PERF_SAMPLE_STREAM_ID)
		buf_u64(&b, &s->stream_id);
	if (t & PERF_SAMPLE_CPU) {
		buf_u32(&b, &s->cpu);
		buf_skip(&b, 4);
	}
	if (t & PERF_SAMPLE_IDENTIFIER)
		buf_u64(&b, &s->id);
	return b.bad ? -HWPROF_E_FORMAT : 0;
}

int record_time(const void *rec, size_t size, uint32_t type, uint64_t t, bool sample_id_all,
		uint64_t *time)
{
	size_t idx;

	if (!(t & PERF_SAMPLE_TIME))
		return -1;
	if (type == PERF_RECORD_SAMPLE) {
		idx = !!(t & PERF_SAMPLE_IDENTIFIER) + !!(t & PERF_SAMPLE_IP) + !!(t & PERF_SAMPLE_TID);
		if (size < sizeof(struct perf_event_header) + (idx + 1) * 8)
			return -1;
		memcpy(time, (const uint8_t *)rec + sizeof(struct perf_event_header) + idx * 8, 8);
		return 0;
	}
	if (!sample_id_all || type >= PERF_RECORD_MAX)
		return -1;
	{
		struct sample id;
		if (sample_id_parse(rec, size, t, &id) < 0)
			return -1;
		*time = id.time;
	}
	return 0;
}

size_t sample_chain_frames(const struct sample *s)
{
	size_t n = 0;

	for (uint64_t i = 0; i < s->callchain_nr; i++)
		n += sample_callchain(s, i) < PERF_CONTEXT_MAX;
	return n;
}
