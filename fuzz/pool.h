/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A map pool in front of a backend, for the fuzzers: a MAP_CREATE whose
 * attr bytes equal those of a pooled map that is free in this epoch (one
 * scenario) gets that map back, reset, instead of a new one. On the
 * kernel that keeps the program-side executors of the map loaded from
 * one input to the next (a load costs half a millisecond, a create ten
 * microseconds). The same pool sits in front of both backends, so both
 * see the same commands, resets included.
 *
 * Only maps a reset returns to the state of a new map are pooled (see
 * pool_takes()); a frozen map is retired.
 */
#ifndef __FUZZ_POOL_H
#define __FUZZ_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "backend.h"

struct pool;

/* 0 or -ENOMEM. The pool drives inner (opened by the caller). */
int pool_open(struct pool **pp, struct backend *inner);
/* What the runner drives: inner's ops, with MAP_CREATE served. */
struct backend *pool_backend(struct pool *p);
/* A new scenario: every pooled map is free again; frozen ones go. */
void pool_epoch(struct pool *p);
/* off: every MAP_CREATE makes a new map (a divergence's recheck). */
void pool_enable(struct pool *p, bool on);
void pool_counts(const struct pool *p, uint64_t *hits, uint64_t *misses);
/* Closes every pooled map (the inner backend stays open). */
void pool_close(struct pool *p);

#endif /* __FUZZ_POOL_H */
