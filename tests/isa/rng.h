/* tests/isa/rng: the pseudo-random numbers of the differential ISA tester. Every sequence is
 * generated from its own seed (derived from the run's seed, the class and the sequence's
 * index), so any one sequence can be rebuilt alone. Pure computation; no global state. */
#ifndef ISA_RNG_H
#define ISA_RNG_H

#include <stdbool.h>
#include <stdint.h>

struct rng {
	uint64_t s[4];
};

/* A 64-bit hash of two values (splitmix64 finaliser), for deriving seeds. */
uint64_t rng_mix(uint64_t a, uint64_t b);
void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, n); n > 0. */
uint32_t rng_below(struct rng *r, uint32_t n);
/* Uniform in [lo, hi]; lo <= hi. */
int64_t rng_range(struct rng *r, int64_t lo, int64_t hi);
/* True with the given probability in percent. */
bool rng_chance(struct rng *r, unsigned percent);

#endif
