/*
 * Off-CPU intervals from context-switch records: a thread's switch-out to
 * its next switch-in, blocked (it gave the CPU up: sleep, lock, I/O) or
 * runnable (preempted: waiting in the run queue), with the stack the
 * switch-out sample recorded, or else the thread's last on-CPU stack.
 */
#ifndef HWPROF_OFFCPU_H
#define HWPROF_OFFCPU_H

#include "hwprof/frame.h"
#include "hwprof/index.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum offcpu_stack { OFFCPU_NO_STACK, OFFCPU_SWITCH_STACK, OFFCPU_LAST_SAMPLE };

struct offcpu_interval {
	uint32_t pid, tid;
	uint64_t start, end;		/* ns, perf clock */
	bool runnable;			/* preempted, not blocked */
	enum offcpu_stack stack;	/* where FRAMES come from */
	const struct frame *frames;	/* innermost first; valid until the next call */
	size_t nframes;
};

struct offcpu_thread;

struct offcpu {
	struct offcpu_thread *threads;
	size_t n, cap;
	struct index index;
	uint64_t intervals, no_stack;	/* intervals closed, and those without a stack */
};

void offcpu_init(struct offcpu *o);
void offcpu_release(struct offcpu *o);
/* The stack a switch-out sample of TID recorded at TIME (a switch-out record follows it). */
void offcpu_switch_stack(struct offcpu *o, uint32_t tid, uint64_t time, const struct frame *f, size_t n);
/* The stack of an on-CPU sample of TID: used for a wait only when no
 * switch-out sample gives one (a user's recording). */
void offcpu_last_stack(struct offcpu *o, uint32_t tid, const struct frame *f, size_t n);
/* A switch record of PID/TID at TIME (OUT: switching out; PREEMPT: it was
 * preempted). Returns true with *IV filled when it ends an interval. */
bool offcpu_switch(struct offcpu *o, uint32_t pid, uint32_t tid, uint64_t time, bool out, bool preempt,
		   struct offcpu_interval *iv);
/* TID exited: its last switch-out is no wait. */
void offcpu_exit(struct offcpu *o, uint32_t tid);
/* Ends the next interval still open at END (the recording's end). Returns
 * false when none is left. */
bool offcpu_flush(struct offcpu *o, uint64_t end, struct offcpu_interval *iv);

#endif
