/* tests/isa/simd: what the Advanced SIMD generators share: allowed element sizes as masks,
 * and the tables' "either U" marker. Private to gen-simd*.c. */
#ifndef ISA_SIMD_H
#define ISA_SIMD_H

#include "gen.h"

#define SZ_B 1u
#define SZ_H 2u
#define SZ_S 4u
#define SZ_D 8u
#define SZ_HS (SZ_H | SZ_S)
#define SZ_BH (SZ_B | SZ_H)
#define SZ_BHS (SZ_B | SZ_H | SZ_S)
#define SZ_ALL (SZ_BHS | SZ_D)
#define U_ANY 2 /* in tables: both the signed (U=0) and the unsigned (U=1) form exist */

/* A table row: an opcode, its U bit (or U_ANY), and the element sizes (or, for floating
 * point, the size<1> bit "a" in the low bit). */
struct simd_op {
	uint8_t opcode, u, sizes;
};

/* A random element size (0..3) from the mask. */
uint32_t simd_size(struct gen *g, uint32_t mask);
/* The U bit of a row. */
uint32_t simd_u(struct gen *g, const struct simd_op *op);
/* A random row of a table. */
#define SIMD_PICK(g, table) (&(table)[rnd((g), sizeof(table) / sizeof((table)[0]))])
/* Q for a vector of elements of size `size`: 1 for 64-bit elements, else random. */
uint32_t simd_q(struct gen *g, uint32_t size);

/* TBL/TBX with an index vector first made mostly in range (USHR); two instructions. */
void simd_table_lookup(struct gen *g);

#endif
