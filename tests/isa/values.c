/* tests/isa/values: interesting integer and floating-point bit patterns. Pure computation. */
#include "values.h"

#include <string.h>

/* An integer of `bits` bits (8..64) near a boundary, or random. */
static uint64_t int_of_width(struct rng *r, int bits)
{
	uint64_t mask = bits == 64 ? ~0ull : (1ull << bits) - 1;
	uint64_t top = 1ull << (bits - 1);
	uint64_t v;
	switch (rng_below(r, 12)) {
	case 0: v = 0; break;
	case 1: v = rng_below(r, 4); break;             /* 0..3 */
	case 2: v = mask - rng_below(r, 4); break;      /* -1..-4 */
	case 3: v = top - 1 - rng_below(r, 2); break;   /* largest positive */
	case 4: v = top + rng_below(r, 2); break;       /* most negative */
	case 5: v = 1ull << rng_below(r, (uint32_t)bits); break;
	case 6: v = (1ull << rng_below(r, (uint32_t)bits)) - 1; break;
	case 7: v = rng_below(r, 256); break;
	case 8: v = mask - rng_below(r, 256); break;
	default: v = rng_next(r); break;
	}
	return v & mask;
}

uint64_t val_int(struct rng *r)
{
	switch (rng_below(r, 10)) {
	case 0: return int_of_width(r, 8);
	case 1: return int_of_width(r, 16);
	case 2: return int_of_width(r, 32);
	case 3: return (uint64_t)(int64_t)(int32_t)int_of_width(r, 32); /* sign-extended */
	case 4: case 5: return int_of_width(r, 64);
	case 6: return val_f64(r);
	case 7: return val_f32(r);
	default: return rng_next(r);
	}
}

/* A pattern for a binary format with `ebits` exponent and `mbits` fraction bits. */
static uint64_t float_bits(struct rng *r, int ebits, int mbits)
{
	uint64_t emax = (1ull << ebits) - 1, bias = emax >> 1;
	uint64_t mmask = (1ull << mbits) - 1;
	uint64_t sign = rng_below(r, 2), e, m;
	switch (rng_below(r, 16)) {
	case 0: e = 0; m = 0; break;                                  /* zero */
	case 1: e = emax; m = 0; break;                               /* infinity */
	case 2: e = emax; m = (1ull << (mbits - 1)) | (rng_next(r) & (mmask >> 1)); break; /* qNaN */
	case 3: e = emax; m = (rng_next(r) & (mmask >> 1)) | 1; break; /* sNaN */
	case 4: e = 0; m = rng_next(r) & mmask; m |= !m; break;       /* denormal */
	case 5: e = 0; m = rng_chance(r, 50) ? 1 : mmask; break;      /* extreme denormals */
	case 6: e = rng_chance(r, 50) ? 1 : emax - 1; m = rng_chance(r, 50) ? 0 : mmask; break;
	case 7: e = bias; m = 0; break;                               /* 1.0 */
	case 8: /* a small integer or a half-way value (x.5): rounding ties */
		e = bias + rng_below(r, 6);
		m = (rng_next(r) & mmask) & ~(mmask >> (e - bias + 1));
		break;
	case 9: /* near the int32/uint32/int64/uint64 limits of conversions */
		e = bias + (uint64_t[]){30, 31, 32, 62, 63, 64}[rng_below(r, 6)];
		m = rng_chance(r, 50) ? 0 : (rng_chance(r, 50) ? mmask : rng_next(r) & mmask);
		break;
	case 10: /* few significant bits: exact results and clean ties */
		e = bias - 8 + rng_below(r, 16);
		m = (rng_next(r) & mmask) & ~(mmask >> 4);
		break;
	case 11: e = bias - 1 - rng_below(r, 3); m = rng_next(r) & mmask; break; /* in (0, 1) */
	case 12: /* tiny normals: products and quotients underflow */
		e = 1 + rng_below(r, 4);
		m = rng_next(r) & mmask;
		break;
	case 13: e = emax - 1 - rng_below(r, 4); m = rng_next(r) & mmask; break; /* overflow */
	default: e = rng_next(r) % emax; m = rng_next(r) & mmask; break;
	}
	return sign << (ebits + mbits) | (e & emax) << mbits | (m & mmask);
}

uint64_t val_f64(struct rng *r)
{
	return float_bits(r, 11, 52);
}

uint32_t val_f32(struct rng *r)
{
	return (uint32_t)float_bits(r, 8, 23);
}

uint16_t val_f16(struct rng *r)
{
	return (uint16_t)float_bits(r, 5, 10);
}

void val_vreg(struct rng *r, uint8_t out[16])
{
	unsigned kind = rng_below(r, 8);
	for (int i = 0; i < 16;) {
		uint64_t v;
		int n;
		switch (kind) {
		case 0: v = val_f64(r); n = 8; break;
		case 1: v = val_f32(r); n = 4; break;
		case 2: v = val_f16(r); n = 2; break;
		case 3: v = int_of_width(r, 8); n = 1; break;
		case 4: v = int_of_width(r, 16); n = 2; break;
		case 5: v = int_of_width(r, 32); n = 4; break;
		case 6: v = int_of_width(r, 64); n = 8; break;
		default: v = rng_next(r); n = 8; break;
		}
		memcpy(out + i, &v, (size_t)n); /* little-endian host, as the guest */
		i += n;
	}
}
