/* tests/isa/values: the random data a sequence starts from. Uniformly random bits rarely hit
 * the cases emulators get wrong, so values are drawn from a mix: boundaries of every integer
 * width, and floating-point patterns (zeros, infinities, quiet and signalling NaNs with
 * payloads, denormals, the largest and smallest normals, exact integers, ties for rounding). */
#ifndef ISA_VALUES_H
#define ISA_VALUES_H

#include <stdint.h>

#include "rng.h"

uint64_t val_int(struct rng *r);       /* a general-purpose register value */
uint64_t val_f64(struct rng *r);       /* an IEEE double bit pattern */
uint32_t val_f32(struct rng *r);       /* an IEEE single bit pattern */
uint16_t val_f16(struct rng *r);       /* an IEEE half bit pattern */
void val_vreg(struct rng *r, uint8_t out[16]); /* a SIMD&FP register, lanes of one kind */

#endif
