/* tests/unit: the Advanced SIMD class of the AArch64 emulator (emu/aarch64/simd*.c, decoders,
 * and simd*-exec.c, the interpreter): real encodings (assembled with aarch64-linux-gnu-as, the
 * source in the comment next to each word) decoded by a64_decode, bound by a64_bind and run on
 * a calloc'ed CPU. The expected lanes of the golden table were produced by running the same
 * instructions on the same register state under qemu-aarch64 (a static arm64 program, see
 * the note at the table); the hand-written tests check fields, forms and FPSR.QC/FP flags. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "a64-block.h"
#include "check.h"
#include "emu/aarch64/a64.h"
#include "emu/aarch64/fpu.h"
#include "emu/aarch64/simd.h"


#define PC 0x10000000ull

struct step {
	struct a64_op op;
	bool ends;
	int ret;
};

static struct step run(struct a64_cpu *cpu, uint32_t insn)
{
	struct step s;
	s.ends = a64_decode(insn, PC, &s.op);
	a64_bind(&s.op);
	cpu->exit = A64_EXIT_NONE;
	s.ret = run_handler(s.op.fn, cpu, &s.op);
	return s;
}

static bool ok(const struct a64_cpu *cpu, const struct step *s)
{
	return !s->ends && s->ret == 0 && cpu->exit == A64_EXIT_NONE && s->op.cls == A64_CLS_SIMD;
}

static void set64(struct a64_cpu *cpu, int r, uint64_t lo, uint64_t hi)
{
	cpu->v[r].d[0] = lo;
	cpu->v[r].d[1] = hi;
}

static void setf(struct a64_cpu *cpu, int r, float a, float b, float c, float d)
{
	cpu->v[r].f[0] = a;
	cpu->v[r].f[1] = b;
	cpu->v[r].f[2] = c;
	cpu->v[r].f[3] = d;
}

/* The register state every golden row starts from (the same in the qemu program). */
static void init_state(struct a64_cpu *cpu)
{
	memset(cpu->v, 0, sizeof cpu->v);
	memset(cpu->x, 0, sizeof cpu->x);
	for (int i = 0; i < 16; i++) {
		cpu->v[0].b[i] = 0xa5;
		cpu->v[1].b[i] = (uint8_t)i;
		cpu->v[2].b[i] = (uint8_t)(0x10 + i);
		cpu->v[5].b[i] = (uint8_t)(i & 1 ? i : 0x40 + i);
		cpu->v[31].b[i] = (uint8_t)(0xf0 + i);
	}
	static const uint8_t v3[16] = { 0, 5, 15, 16, 31, 47, 63, 64, 255, 1, 2, 3, 17, 33, 49, 8 };
	static const uint8_t v4[16] = { 0x80, 0xff, 0x7f, 0x01, 0x00, 0xfe, 0x81, 0x40,
					0xc0, 0x10, 0x90, 0x7e, 0x02, 0xf0, 0x3c, 0x55 };
	static const int8_t v6[16] = { 1, -1, 7, -8, 8, 0, -3, 3, 2, -2, 9, -9, 4, -4, 5, -7 };
	memcpy(cpu->v[3].b, v3, 16);
	memcpy(cpu->v[4].b, v4, 16);
	memcpy(cpu->v[6].b, v6, 16);
	setf(cpu, 7, 1.5f, -2.25f, 1e10f, -0.0f);
	setf(cpu, 8, 2.0f, 0.5f, -1.0f, 4.0f);
	cpu->v[9].df[0] = 1.0 / 3;
	cpu->v[9].df[1] = -1e300;
	cpu->v[10].df[0] = 3.0;
	cpu->v[10].df[1] = 1e10;
	set64(cpu, 11, (uint64_t)-5, (1ull << 53) + 1);
	static const uint32_t v12[4] = { 0x7f800001, 0x7fc00002, 0x3f800000, 0x7f800000 };
	memcpy(cpu->v[12].s, v12, 16);
	for (int i = 0; i < 8; i++)
		cpu->v[15].h[i] = (uint16_t)(i + 1);
	cpu->x[3] = 0x1122334455667788ull;
	cpu->fpcr = 0;
	a64_fpsr_write(cpu, 0);
}

/* Golden rows: v0 (low, high), x0 and FPSR after the instruction, from init_state. Produced
 * with qemu-aarch64 7.2: each instruction in its own function that loads q0..q31 and x0..x3
 * from a buffer filled like init_state, clears FPSR, executes it, and stores them back. */
struct golden {
	uint32_t insn;
	uint64_t lo, hi, x0;
	uint32_t fpsr;
};

static const struct golden golden[] = {
	/* movi v0.4s, #0x12, lsl #8 */
	{ 0x4f002640, 0x0000120000001200ull, 0x0000120000001200ull, 0, 0x0 },
	/* mvni v0.4h, #0x12, lsl #8 */
	{ 0x2f00a640, 0xedffedffedffedffull, 0x0000000000000000ull, 0, 0x0 },
	/* movi v0.2d, #0xff00ff00ff00ff00 */
	{ 0x6f05e540, 0xff00ff00ff00ff00ull, 0xff00ff00ff00ff00ull, 0, 0x0 },
	/* movi d0, #0xff */
	{ 0x2f00e420, 0x00000000000000ffull, 0x0000000000000000ull, 0, 0x0 },
	/* movi v0.16b, #0x80 */
	{ 0x4f04e400, 0x8080808080808080ull, 0x8080808080808080ull, 0, 0x0 },
	/* movi v0.2s, #0x12, msl #16 */
	{ 0x0f00d640, 0x0012ffff0012ffffull, 0x0000000000000000ull, 0, 0x0 },
	/* orr v0.4s, #0x3, lsl #24 */
	{ 0x4f007460, 0xa7a5a5a5a7a5a5a5ull, 0xa7a5a5a5a7a5a5a5ull, 0, 0x0 },
	/* bic v0.8h, #0x3 */
	{ 0x6f009460, 0xa5a4a5a4a5a4a5a4ull, 0xa5a4a5a4a5a4a5a4ull, 0, 0x0 },
	/* fmov v0.4s, #1.000000000000000000e+00 */
	{ 0x4f03f600, 0x3f8000003f800000ull, 0x3f8000003f800000ull, 0, 0x0 },
	/* fmov v0.2d, #-2.500000000000000000e+00 */
	{ 0x6f04f480, 0xc004000000000000ull, 0xc004000000000000ull, 0, 0x0 },
	/* dup v0.16b, v1.b[3] */
	{ 0x4e070420, 0x0303030303030303ull, 0x0303030303030303ull, 0, 0x0 },
	/* dup v0.4h, w3 */
	{ 0x0e020c60, 0x7788778877887788ull, 0x0000000000000000ull, 0, 0x0 },
	/* dup v0.2d, x3 */
	{ 0x4e080c60, 0x1122334455667788ull, 0x1122334455667788ull, 0, 0x0 },
	/* mov b0, v1.b[3] */
	{ 0x5e070420, 0x0000000000000003ull, 0x0000000000000000ull, 0, 0x0 },
	/* mov v0.s[1], w3 */
	{ 0x4e0c1c60, 0x55667788a5a5a5a5ull, 0xa5a5a5a5a5a5a5a5ull, 0, 0x0 },
	/* mov v0.h[5], v2.h[1] */
	{ 0x6e161440, 0xa5a5a5a5a5a5a5a5ull, 0xa5a5a5a51312a5a5ull, 0, 0x0 },
	/* umov w0, v1.b[15] */
	{ 0x0e1f3c20, 0xa5a5a5a5a5a5a5a5ull, 0xa5a5a5a5a5a5a5a5ull, 0x000000000000000full, 0x0 },
	/* mov x0, v1.d[1] */
	{ 0x4e183c20, 0xa5a5a5a5a5a5a5a5ull, 0xa5a5a5a5a5a5a5a5ull, 0x0f0e0d0c0b0a0908ull, 0x0 },
	/* smov x0, v1.h[2] */
	{ 0x4e0a2c20, 0xa5a5a5a5a5a5a5a5ull, 0xa5a5a5a5a5a5a5a5ull, 0x0000000000000504ull, 0x0 },
	/* smov w0, v2.b[15] */
	{ 0x0e1f2c40, 0xa5a5a5a5a5a5a5a5ull, 0xa5a5a5a5a5a5a5a5ull, 0x000000000000001full, 0x0 },
	/* ext v0.16b, v1.16b, v2.16b, #3 */
	{ 0x6e021820, 0x0a09080706050403ull, 0x1211100f0e0d0c0bull, 0, 0x0 },
	/* ext v0.8b, v1.8b, v2.8b, #7 */
	{ 0x2e023820, 0x1615141312111007ull, 0x0000000000000000ull, 0, 0x0 },
	/* zip1 v0.4s, v1.4s, v2.4s */
	{ 0x4e823820, 0x1312111003020100ull, 0x1716151407060504ull, 0, 0x0 },
	/* zip2 v0.8b, v1.8b, v2.8b */
	{ 0x0e027820, 0x1707160615051404ull, 0x0000000000000000ull, 0, 0x0 },
	/* uzp1 v0.16b, v1.16b, v2.16b */
	{ 0x4e021820, 0x0e0c0a0806040200ull, 0x1e1c1a1816141210ull, 0, 0x0 },
	/* uzp2 v0.8h, v1.8h, v2.8h */
	{ 0x4e425820, 0x0f0e0b0a07060302ull, 0x1f1e1b1a17161312ull, 0, 0x0 },
	/* trn1 v0.8b, v1.8b, v2.8b */
	{ 0x0e022820, 0x1606140412021000ull, 0x0000000000000000ull, 0, 0x0 },
	/* trn2 v0.2d, v1.2d, v2.2d */
	{ 0x4ec26820, 0x0f0e0d0c0b0a0908ull, 0x1f1e1d1c1b1a1918ull, 0, 0x0 },
	/* tbl v0.16b, {v1.16b}, v3.16b */
	{ 0x4e030020, 0x00000000000f0500ull, 0x0800000003020100ull, 0, 0x0 },
	/* tbx v0.8b, {v1.16b}, v3.8b */
	{ 0x0e031020, 0xa5a5a5a5a50f0500ull, 0x0000000000000000ull, 0, 0x0 },
	/* tbl v0.16b, {v31.16b, v0.16b, v1.16b, v2.16b}, v3.16b */
	{ 0x4e0363e0, 0x001f0fa5a5fff5f0ull, 0xf81101a5f3f2f100ull, 0, 0x0 },
	/* rev16 v0.16b, v1.16b */
	{ 0x4e201820, 0x0607040502030001ull, 0x0e0f0c0d0a0b0809ull, 0, 0x0 },
	/* rev32 v0.8h, v1.8h */
	{ 0x6e600820, 0x0504070601000302ull, 0x0d0c0f0e09080b0aull, 0, 0x0 },
	/* rev64 v0.4s, v1.4s */
	{ 0x4ea00820, 0x0302010007060504ull, 0x0b0a09080f0e0d0cull, 0, 0x0 },
	/* cnt v0.8b, v2.8b */
	{ 0x0e205840, 0x0403030203020201ull, 0x0000000000000000ull, 0, 0x0 },
	/* add v0.4s, v1.4s, v2.4s */
	{ 0x4ea28420, 0x1e1c1a1816141210ull, 0x2e2c2a2826242220ull, 0, 0x0 },
	/* sub v0.2d, v1.2d, v2.2d */
	{ 0x6ee28420, 0xefefefefefefeff0ull, 0xefefefefefefeff0ull, 0, 0x0 },
	/* addp v0.16b, v1.16b, v2.16b */
	{ 0x4e22bc20, 0x1d1915110d090501ull, 0x3d3935312d292521ull, 0, 0x0 },
	/* addp v0.4h, v1.4h, v2.4h */
	{ 0x0e62bc20, 0x2c2a24220c0a0402ull, 0x0000000000000000ull, 0, 0x0 },
	/* addp d0, v1.2d */
	{ 0x5ef1b820, 0x161412100e0c0a08ull, 0x0000000000000000ull, 0, 0x0 },
	/* addv b0, v1.16b */
	{ 0x4e31b820, 0x0000000000000078ull, 0x0000000000000000ull, 0, 0x0 },
	/* umaxv b0, v4.16b */
	{ 0x6e30a880, 0x00000000000000ffull, 0x0000000000000000ull, 0, 0x0 },
	/* uminv h0, v4.8h */
	{ 0x6e71a880, 0x000000000000017full, 0x0000000000000000ull, 0, 0x0 },
	/* smaxv s0, v4.4s */
	{ 0x4eb0a880, 0x000000007e9010c0ull, 0x0000000000000000ull, 0, 0x0 },
	/* sminv b0, v4.8b */
	{ 0x0e31a880, 0x0000000000000080ull, 0x0000000000000000ull, 0, 0x0 },
	/* umaxp v0.16b, v4.16b, v1.16b */
	{ 0x6e21a480, 0x55f090c081fe7fffull, 0x0f0d0b0907050301ull, 0, 0x0 },
	/* uminp v0.8b, v4.8b, v1.8b */
	{ 0x2e21ac80, 0x0604020040000180ull, 0x0000000000000000ull, 0, 0x0 },
	/* smaxp v0.4s, v4.4s, v1.4s */
	{ 0x4ea1a480, 0x7e9010c04081fe00ull, 0x0f0e0d0c07060504ull, 0, 0x0 },
	/* sminp v0.4h, v4.4h, v1.4h */
	{ 0x0e61ac80, 0x05040100fe00ff80ull, 0x0000000000000000ull, 0, 0x0 },
	/* and v0.16b, v1.16b, v2.16b */
	{ 0x4e221c20, 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull, 0, 0x0 },
	/* orr v0.8b, v1.8b, v2.8b */
	{ 0x0ea21c20, 0x1716151413121110ull, 0x0000000000000000ull, 0, 0x0 },
	/* eor v0.16b, v1.16b, v2.16b */
	{ 0x6e221c20, 0x1010101010101010ull, 0x1010101010101010ull, 0, 0x0 },
	/* bic v0.16b, v1.16b, v2.16b */
	{ 0x4e621c20, 0x0000000000000000ull, 0x0000000000000000ull, 0, 0x0 },
	/* orn v0.16b, v1.16b, v2.16b */
	{ 0x4ee21c20, 0xefefefefefefefefull, 0xefefefefefefefefull, 0, 0x0 },
	/* bsl v0.16b, v1.16b, v2.16b */
	{ 0x6e621c20, 0x1716151413121110ull, 0x1f1e1d1c1b1a1918ull, 0, 0x0 },
	/* bit v0.16b, v1.16b, v2.16b */
	{ 0x6ea21c20, 0xa7a7a5a5a7a7a5a5ull, 0xafafadadafafadadull, 0, 0x0 },
	/* bif v0.16b, v1.16b, v2.16b */
	{ 0x6ee21c20, 0x0504050401000100ull, 0x0504050401000100ull, 0, 0x0 },
	/* mvn v0.16b, v1.16b */
	{ 0x6e205820, 0xf8f9fafbfcfdfeffull, 0xf0f1f2f3f4f5f6f7ull, 0, 0x0 },
	/* cmeq v0.16b, v1.16b, v5.16b */
	{ 0x6e258c20, 0xff00ff00ff00ff00ull, 0xff00ff00ff00ff00ull, 0, 0x0 },
	/* cmhs v0.8h, v4.8h, v1.8h */
	{ 0x6e613c80, 0xffffffff0000ffffull, 0xffffffffffffffffull, 0, 0x0 },
	/* cmhi v0.8h, v4.8h, v1.8h */
	{ 0x6e613480, 0xffffffff0000ffffull, 0xffffffffffffffffull, 0, 0x0 },
	/* cmge v0.8h, v4.8h, v1.8h */
	{ 0x4e613c80, 0xffff000000000000ull, 0xffff0000ffffffffull, 0, 0x0 },
	/* cmgt v0.8h, v4.8h, v1.8h */
	{ 0x4e613480, 0xffff000000000000ull, 0xffff0000ffffffffull, 0, 0x0 },
	/* cmtst v0.16b, v1.16b, v2.16b */
	{ 0x4e228c20, 0xffffffffffffff00ull, 0xffffffffffffffffull, 0, 0x0 },
	/* cmeq v0.16b, v1.16b, #0 */
	{ 0x4e209820, 0x00000000000000ffull, 0x0000000000000000ull, 0, 0x0 },
	/* cmle v0.8h, v4.8h, #0 */
	{ 0x6e609880, 0x0000ffff0000ffffull, 0x0000ffff00000000ull, 0, 0x0 },
	/* cmlt v0.8h, v4.8h, #0 */
	{ 0x4e60a880, 0x0000ffff0000ffffull, 0x0000ffff00000000ull, 0, 0x0 },
	/* neg v0.4s, v4.4s */
	{ 0x6ea0b880, 0xbf7e0200fe800080ull, 0xaac30ffe816fef40ull, 0, 0x0 },
	/* abs v0.8h, v4.8h */
	{ 0x4e60b880, 0x40810200017f0080ull, 0x553c0ffe7e9010c0ull, 0, 0x0 },
	/* shl v0.4s, v1.4s, #4 */
	{ 0x4f245420, 0x7060504030201000ull, 0xf0e0d0c0b0a09080ull, 0, 0x0 },
	/* ushr v0.8h, v4.8h, #4 */
	{ 0x6f1c0480, 0x04080fe000170ff8ull, 0x05530f0007e9010cull, 0, 0x0 },
	/* sshr v0.8h, v4.8h, #4 */
	{ 0x4f1c0480, 0x0408ffe00017fff8ull, 0x0553ff0007e9010cull, 0, 0x0 },
	/* usra v0.16b, v1.16b, #1 */
	{ 0x6f0f1420, 0xa8a8a7a7a6a6a5a5ull, 0xacacababaaaaa9a9ull, 0, 0x0 },
	/* ssra v0.2d, v4.2d, #64 */
	{ 0x4f401480, 0xa5a5a5a5a5a5a5a5ull, 0xa5a5a5a5a5a5a5a5ull, 0, 0x0 },
	/* sri v0.16b, v1.16b, #4 */
	{ 0x6f0c4420, 0xa0a0a0a0a0a0a0a0ull, 0xa0a0a0a0a0a0a0a0ull, 0, 0x0 },
	/* sli v0.16b, v1.16b, #4 */
	{ 0x6f0c5420, 0x7565554535251505ull, 0xf5e5d5c5b5a59585ull, 0, 0x0 },
	/* ushl v0.16b, v1.16b, v6.16b */
	{ 0x6e264420, 0x3800050000000000ull, 0x00c000c000000220ull, 0, 0x0 },
	/* sshl v0.8h, v4.8h, v6.8h */
	{ 0x4e664480, 0x08100000bf80ff00ull, 0xa780002020004300ull, 0, 0x0 },
	/* shrn v0.8b, v1.8h, #4 */
	{ 0x0f0c8420, 0xf0d0b09070503010ull, 0x0000000000000000ull, 0, 0x0 },
	/* rshrn2 v0.16b, v1.8h, #8 */
	{ 0x4f088c20, 0xa5a5a5a5a5a5a5a5ull, 0x0f0d0b0907050301ull, 0, 0x0 },
	/* xtn v0.8b, v1.8h */
	{ 0x0e212820, 0x0e0c0a0806040200ull, 0x0000000000000000ull, 0, 0x0 },
	/* sqxtn v0.8b, v4.8h */
	{ 0x0e214880, 0x7f807f7f7f807f80ull, 0x0000000000000000ull, 0, 0x8000000 },
	/* uqxtn v0.4h, v4.4s */
	{ 0x2e614880, 0xffffffffffffffffull, 0x0000000000000000ull, 0, 0x8000000 },
	/* uxtl v0.8h, v4.8b */
	{ 0x2f08a480, 0x0001007f00ff0080ull, 0x0040008100fe0000ull, 0, 0x0 },
	/* sxtl2 v0.4s, v4.8h */
	{ 0x4f10a480, 0x00007e90000010c0ull, 0x0000553cfffff002ull, 0, 0x0 },
	/* uaddw v0.8h, v1.8h, v4.8b */
	{ 0x2e241020, 0x0707058304010180ull, 0x0f4e0d8d0c080908ull, 0, 0x0 },
	/* saddw2 v0.2d, v1.2d, v4.4s */
	{ 0x4ea41020, 0x07060504819211c0ull, 0x0f0e0d0c6046f90aull, 0, 0x0 },
	/* uaddl v0.8h, v1.8b, v4.8b */
	{ 0x2e240020, 0x0004008101000080ull, 0x0047008701030004ull, 0, 0x0 },
	/* saddl v0.4s, v4.4h, v4.4h */
	{ 0x0e640080, 0x000002feffffff00ull, 0x00008102fffffc00ull, 0, 0x0 },
	/* usubl v0.8h, v1.8b, v4.8b */
	{ 0x2e242020, 0x0002ff83ff02ff80ull, 0xffc7ff85ff070004ull, 0, 0x0 },
	/* umull v0.8h, v1.8b, v4.8b */
	{ 0x2e24c020, 0x000300fe00ff0000ull, 0x01c0030604f60000ull, 0, 0x0 },
	/* smull v0.4s, v4.4h, v1.4h */
	{ 0x0e61c080, 0x00047ffeffff8000ull, 0x01c50a06fff5f800ull, 0, 0x0 },
	/* umlal v0.2d, v4.2s, v1.2s */
	{ 0x2ea18080, 0xa5aa28a5a4a525a5ull, 0xa76ab7e725a39da5ull, 0, 0x0 },
	/* smlal2 v0.4s, v4.8h, v1.8h */
	{ 0x4e618080, 0xab1ac745a63ceba5ull, 0xaaa8d2eda4d4ffbdull, 0, 0x0 },
	/* mul v0.8h, v1.8h, v4.8h */
	{ 0x4e649c20, 0x0a06f8007ffe8000ull, 0x2d485a1821a04600ull, 0, 0x0 },
	/* mla v0.4s, v1.4s, v2.4s */
	{ 0x4ea29420, 0x7adf5df509d6b5a5ull, 0xde116ef56c484665ull, 0, 0x0 },
	/* mls v0.16b, v1.16b, v2.16b */
	{ 0x6e229420, 0x04213c556c8194a5ull, 0xd4012c557ca1c4e5ull, 0, 0x0 },
	/* mul v0.4s, v1.4s, v2.s[3] */
	{ 0x4fa28820, 0x85b20070ac551c00ull, 0x386bc9505f0ee4e0ull, 0, 0x0 },
	/* mla v0.8h, v1.8h, v15.h[7] */
	{ 0x6f7f0820, 0xddd5cdc5bdb5ada5ull, 0x1e150e05fdf5ede5ull, 0, 0x0 },
	/* addhn v0.8b, v1.8h, v4.8h */
	{ 0x0e244020, 0x64fd891947030400ull, 0x0000000000000000ull, 0, 0x0 },
	/* subhn2 v0.16b, v1.8h, v4.8h */
	{ 0x4e246020, 0xa5a5a5a5a5a5a5a5ull, 0xb91d8cf8c6070101ull, 0, 0x0 },
	/* uqadd v0.16b, v4.16b, v4.16b */
	{ 0x6e240c80, 0x80ffff0002feffffull, 0xaa78ff04fcff20ffull, 0, 0x8000000 },
	/* sqadd v0.8h, v4.8h, v4.8h */
	{ 0x4e640c80, 0x7ffffc0002feff00ull, 0x7fffe0047fff2180ull, 0, 0x8000000 },
	/* uqsub v0.16b, v1.16b, v2.16b */
	{ 0x6e222c20, 0x0000000000000000ull, 0x0000000000000000ull, 0, 0x8000000 },
	/* sqsub v0.4s, v4.4s, v1.4s */
	{ 0x4ea12c80, 0x397bf8fcfe7dfe80ull, 0x462ee2f6738607b8ull, 0, 0x0 },
	/* umax v0.16b, v4.16b, v1.16b */
	{ 0x6e216480, 0x4081fe04037fff80ull, 0x553cf00c7e9010c0ull, 0, 0x0 },
	/* smin v0.16b, v4.16b, v1.16b */
	{ 0x4e216c80, 0x0781fe000102ff80ull, 0x0f0ef0020b9009c0ull, 0, 0x0 },
	/* uabd v0.16b, v1.16b, v2.16b */
	{ 0x6e227420, 0x1010101010101010ull, 0x1010101010101010ull, 0, 0x0 },
	/* uaba v0.16b, v1.16b, v2.16b */
	{ 0x6e227c20, 0xb5b5b5b5b5b5b5b5ull, 0xb5b5b5b5b5b5b5b5ull, 0, 0x0 },
	/* urhadd v0.16b, v4.16b, v1.16b */
	{ 0x6e211480, 0x2444820202418040ull, 0x32257f07454d0d64ull, 0, 0x0 },
	/* uhadd v0.16b, v4.16b, v1.16b */
	{ 0x6e210480, 0x2343810202408040ull, 0x32257e07444d0c64ull, 0, 0x0 },
	/* add d0, d1, d2 */
	{ 0x5ee28420, 0x1e1c1a1816141210ull, 0x0000000000000000ull, 0, 0x0 },
	/* cmeq d0, d1, d1 */
	{ 0x7ee18c20, 0xffffffffffffffffull, 0x0000000000000000ull, 0, 0x0 },
	/* ushr d0, d4, #63 */
	{ 0x7f410480, 0x0000000000000000ull, 0x0000000000000000ull, 0, 0x0 },
	/* sqadd b0, b4, b4 */
	{ 0x5e240c80, 0x0000000000000080ull, 0x0000000000000000ull, 0, 0x8000000 },
	/* fadd v0.4s, v7.4s, v8.4s */
	{ 0x4e28d4e0, 0xbfe0000040600000ull, 0x40800000501502f9ull, 0, 0x10 },
	/* fmul v0.2d, v9.2d, v10.2d */
	{ 0x6e6add20, 0x3ff0000000000000ull, 0xfff0000000000000ull, 0, 0x14 },
	/* fmla v0.4s, v7.4s, v8.s[1] */
	{ 0x4fa810e0, 0xbf9000003f400000ull, 0xa5a5a5a54f9502f9ull, 0, 0x10 },
	/* fcmgt v0.4s, v7.4s, v8.4s */
	{ 0x6ea8e4e0, 0x0000000000000000ull, 0x00000000ffffffffull, 0, 0x0 },
	/* faddp v0.4s, v7.4s, v8.4s */
	{ 0x6e28d4e0, 0x501502f9bf400000ull, 0x4040000040200000ull, 0, 0x0 },
	/* fmaxv s0, v7.4s */
	{ 0x6e30f8e0, 0x00000000501502f9ull, 0x0000000000000000ull, 0, 0x0 },
	/* fcvtzs v0.4s, v7.4s */
	{ 0x4ea1b8e0, 0xfffffffe00000001ull, 0x000000007fffffffull, 0, 0x11 },
	/* scvtf v0.2d, v11.2d */
	{ 0x4e61d960, 0xc014000000000000ull, 0x4340000000000000ull, 0, 0x10 },
	/* fcvtl v0.2d, v7.2s */
	{ 0x0e6178e0, 0x3ff8000000000000ull, 0xc002000000000000ull, 0, 0x0 },
	/* fcvtn v0.2s, v9.2d */
	{ 0x0e616920, 0xff8000003eaaaaabull, 0x0000000000000000ull, 0, 0x14 },
	/* frintm v0.4s, v7.4s */
	{ 0x4e2198e0, 0xc04000003f800000ull, 0x80000000501502f9ull, 0, 0x0 },
	/* fabs v0.2d, v9.2d */
	{ 0x4ee0f920, 0x3fd5555555555555ull, 0x7e37e43c8800759cull, 0, 0x0 },
	/* fneg v0.4s, v7.4s */
	{ 0x6ea0f8e0, 0x40100000bfc00000ull, 0x00000000d01502f9ull, 0, 0x0 },
	/* fsqrt v0.2d, v10.2d */
	{ 0x6ee1f940, 0x3ffbb67ae8584caaull, 0x40f86a0000000000ull, 0, 0x10 },
	/* fadd v0.4s, v12.4s, v7.4s */
	{ 0x4e27d580, 0x7fc000027fc00001ull, 0x7f800000501502f9ull, 0, 0x11 },
	/* fcvtzs v0.4s, v7.4s, #1 */
	{ 0x4f3ffce0, 0xfffffffc00000003ull, 0x000000007fffffffull, 0, 0x11 },
	/* fmaxnmp s0, v7.2s */
	{ 0x7e30c8e0, 0x000000003fc00000ull, 0x0000000000000000ull, 0, 0x0 },
};

static void test_golden(struct a64_cpu *cpu)
{
	int wrong = 0;
	for (size_t i = 0; i < sizeof golden / sizeof *golden; i++) {
		const struct golden *g = &golden[i];
		init_state(cpu);
		struct step s = run(cpu, g->insn);
		uint32_t fpsr = a64_fpsr_read(cpu);
		if (!ok(cpu, &s) || cpu->v[0].d[0] != g->lo || cpu->v[0].d[1] != g->hi ||
		    cpu->x[0] != g->x0 || fpsr != g->fpsr) {
			fprintf(stderr, "golden %08x: got %016llx %016llx x0 %llx fpsr %x\n", g->insn,
				(unsigned long long)cpu->v[0].d[0], (unsigned long long)cpu->v[0].d[1],
				(unsigned long long)cpu->x[0], fpsr);
			wrong++;
		}
		CHECK(ok(cpu, &s));
	}
	CHECK(wrong == 0);
}

/* Fields the decoder gives (simd.h's contract), on a few representative encodings. */
static void test_fields(struct a64_cpu *cpu)
{
	struct a64_op op;
	a64_decode(0x4e010c20, PC, &op); /* dup v0.16b, w1 */
	CHECK(op.cls == A64_CLS_SIMD && op.kind == A64_SIMD_DUP_GEN && op.size == 0 && op.sf == 1 &&
	      op.rn == 1 && op.rd == 0);
	a64_decode(0x4e010fe0, PC, &op); /* dup v0.16b, wzr */
	CHECK(op.kind == A64_SIMD_DUP_GEN && op.rn == REG_ZR);
	a64_decode(0x0e1f3c3f, PC, &op); /* umov wzr, v1.b[15] */
	CHECK(op.kind == A64_SIMD_UMOV && op.rd == REG_ZW && op.imm == 15 && op.size == 0);
	a64_decode(0x6e161440, PC, &op); /* mov v0.h[5], v2.h[1] */
	CHECK(op.kind == A64_SIMD_INS_ELEM && op.imm == 5 && op.imm2 == 1 && op.size == 1);
	a64_decode(0x0f0c8420, PC, &op); /* shrn v0.8b, v1.8h, #4 */
	CHECK(op.kind == A64_SIMD_SHRN && op.size == 0 && op.imm == 4 && op.sf == 0);
	a64_decode(0x4f20a420, PC, &op); /* sxtl2 v0.2d, v1.4s */
	CHECK(op.kind == A64_SIMD_SSHLL && op.size == 2 && op.imm == 0 && op.sf == 1);
	a64_decode(0x7f410420, PC, &op); /* ushr d0, d1, #63 */
	CHECK(op.kind == A64_SIMD_USHR && op.size == 3 && op.imm == 63 &&
	      op.flags == A64_SIMD_F_SCALAR);
	a64_decode(0x4faf8820, PC, &op); /* mul v0.4s, v1.4s, v15.s[3] */
	CHECK(op.kind == A64_SIMD_MUL && op.flags == A64_SIMD_F_ELEM && op.rm == 15 &&
	      op.imm2 == 3 && op.size == 2);
	a64_decode(0x6f7f09e0, PC, &op); /* mla v0.8h, v15.8h, v15.h[7] */
	CHECK(op.kind == A64_SIMD_MLA && op.rm == 15 && op.imm2 == 7 && op.size == 1);
	a64_decode(0x4e0243c0, PC, &op); /* tbl v0.16b, {v30.16b, v31.16b, v0.16b}, v2.16b */
	CHECK(op.kind == A64_SIMD_TBL && op.imm == 3 && op.rn == 30 && op.rm == 2);
	a64_decode(0x6f04f480, PC, &op); /* fmov v0.2d, #-2.5 */
	CHECK(op.kind == A64_SIMD_MOVI && (uint64_t)op.imm == 0xc004000000000000ull);
	a64_decode(0x2f00a640, PC, &op); /* mvni v0.4h, #0x12, lsl #8 */
	CHECK(op.kind == A64_SIMD_MOVI && (uint64_t)op.imm == 0xedffedffedffedffull && op.sf == 0);
	a64_decode(0x5ef1b820, PC, &op); /* addp d0, v1.2d */
	CHECK(op.kind == A64_SIMD_ADDP && op.flags == A64_SIMD_F_SCALAR && op.size == 3);
	a64_decode(0x4f3ffc20, PC, &op); /* fcvtzs v0.4s, v1.4s, #1 */
	CHECK(op.kind == A64_SIMD_FCVTZS && op.imm == 1 && op.size == 2);
	(void)cpu;
}

/* Q = 0 forms zero the upper half; scalar forms zero everything above their element. */
static void test_widths(struct a64_cpu *cpu)
{
	init_state(cpu);
	set64(cpu, 0, ~0ull, ~0ull);
	run(cpu, 0x0e228420); /* add v0.8b, v1.8b, v2.8b */
	CHECK(cpu->v[0].d[0] == 0x1e1c1a1816141210ull && cpu->v[0].d[1] == 0);
	set64(cpu, 0, ~0ull, ~0ull);
	run(cpu, 0x5e220c20); /* sqadd b0, b1, b2 */
	CHECK(cpu->v[0].d[0] == 0x10 && cpu->v[0].d[1] == 0);
	set64(cpu, 0, ~0ull, ~0ull);
	run(cpu, 0x5e010420); /* mov b0, v1.b[0] */
	CHECK(cpu->v[0].d[0] == 0 && cpu->v[0].d[1] == 0);
	set64(cpu, 0, ~0ull, ~0ull);
	run(cpu, 0x4e0c1c60); /* mov v0.s[1], w3: the other lanes are kept */
	CHECK(cpu->v[0].d[0] == 0x55667788ffffffffull && cpu->v[0].d[1] == ~0ull);
	set64(cpu, 0, ~0ull, ~0ull);
	run(cpu, 0x0f0c8420); /* shrn v0.8b, v1.8h, #4 */
	CHECK(cpu->v[0].d[1] == 0);
	set64(cpu, 0, 0x1234, ~0ull);
	run(cpu, 0x4f0c8420); /* shrn2 v0.16b, v1.8h, #4: the low half is kept */
	CHECK(cpu->v[0].d[0] == 0x1234 && cpu->v[0].d[1] == 0xf0d0b09070503010ull);
}

/* Saturation sets FPSR.QC and never clears it; Q = 0 lanes outside the vector never count. */
static void test_qc(struct a64_cpu *cpu)
{
	init_state(cpu);
	set64(cpu, 1, 0x7f, 0x7f);
	set64(cpu, 2, 0x01, 0x01);
	run(cpu, 0x0e220c20); /* sqadd v0.8b, v1.8b, v2.8b: lane 0 saturates */
	CHECK(cpu->v[0].b[0] == 0x7f && (a64_fpsr_read(cpu) & A64_FPSR_QC));
	run(cpu, 0x0e228420); /* add v0.8b, v1.8b, v2.8b: QC stays */
	CHECK(a64_fpsr_read(cpu) & A64_FPSR_QC);
	a64_fpsr_write(cpu, 0);
	set64(cpu, 1, 0, 0x7f);
	run(cpu, 0x0e220c20); /* sqadd v0.8b: only the upper half would saturate */
	CHECK(!(a64_fpsr_read(cpu) & A64_FPSR_QC));
	run(cpu, 0x4e220c20); /* sqadd v0.16b: now it does */
	CHECK(a64_fpsr_read(cpu) & A64_FPSR_QC);
	a64_fpsr_write(cpu, 0);
	set64(cpu, 1, 0x8000000000000000ull, 0);
	run(cpu, 0x7ee07820); /* sqneg d0, d1 */
	CHECK(cpu->v[0].d[0] == 0x7fffffffffffffffull && (a64_fpsr_read(cpu) & A64_FPSR_QC));
	a64_fpsr_write(cpu, 0);
	set64(cpu, 1, 0x1ff, 0);
	run(cpu, 0x2e214820); /* uqxtn v0.8b, v1.8h */
	CHECK(cpu->v[0].b[0] == 0xff && (a64_fpsr_read(cpu) & A64_FPSR_QC));
}

/* FP: Arm NaN rules, flags and FPCR through fpu.h. */
static void test_fp(struct a64_cpu *cpu)
{
	init_state(cpu);
	/* fadd v0.4s, v12.4s, v7.4s: sNaN quieted (IOC), qNaN propagated, 1 + 1e10, inf */
	run(cpu, 0x4e27d580);
	CHECK(cpu->v[0].s[0] == 0x7fc00001 && cpu->v[0].s[1] == 0x7fc00002 &&
	      cpu->v[0].s[3] == 0x7f800000);
	CHECK((a64_fpsr_read(cpu) & (A64_FPSR_IOC | A64_FPSR_IXC)) == (A64_FPSR_IOC | A64_FPSR_IXC));
	init_state(cpu);
	cpu->fpcr = A64_FPCR_DN;
	run(cpu, 0x4e27d580); /* the same with DN: default NaNs */
	CHECK(cpu->v[0].s[0] == A64_DNAN32 && cpu->v[0].s[1] == A64_DNAN32);
	init_state(cpu);
	cpu->fpcr = 2u << A64_FPCR_RMODE_SHIFT; /* RM */
	setf(cpu, 1, 1.0f, 1.0f, 1.0f, 1.0f);
	setf(cpu, 2, 3.0f, -3.0f, 3.0f, -3.0f);
	run(cpu, 0x6e22fc20); /* fdiv v0.4s, v1.4s, v2.4s */
	CHECK(cpu->v[0].s[0] == 0x3eaaaaaa && cpu->v[0].s[1] == 0xbeaaaaab);
	init_state(cpu);
	run(cpu, 0x4ea1b8e0); /* fcvtzs v0.4s, v7.4s */
	CHECK(cpu->v[0].s[0] == 1 && cpu->v[0].s[1] == (uint32_t)-2 &&
	      cpu->v[0].s[2] == 0x7fffffff && cpu->v[0].s[3] == 0);
	CHECK(a64_fpsr_read(cpu) & A64_FPSR_IOC); /* 1e10 saturates */
	init_state(cpu);
	run(cpu, 0x6e30f8e0); /* fmaxv s0, v7.4s */
	CHECK(cpu->v[0].d[0] == 0x501502f9 && cpu->v[0].d[1] == 0);
}

/* Unallocated encodings, and those of features the CPU does not advertise, raise UNDEF. */
static void test_undef(struct a64_cpu *cpu)
{
	static const uint32_t undef[] = {
		0x0ee08400, /* add with size 3, Q = 0 (".1d") */
		0x0ec01800, /* uzp1 .1d */
		0x4ee09c00, /* mul .2d */
		0x2e004000, /* ext .8b with imm4 = 8 */
		0x0e080400, /* dup .1d, element */
		0x4e082c00, /* smov x, v.d[] */
		0x0e083c00, /* umov w, v.d[] */
		0x0e021c00, /* ins with Q = 0 */
		0x4e000400, /* copy with imm5 = 0 */
		0x0f00fc00, /* fmov v0.4h, #2.0 (FP16) */
		0x2f00f400, /* fmov .1d immediate (Q = 0) */
		0x0f400400, /* sshr .1d */
		0x0f408400, /* shrn from .2d to 64-bit lanes */
		0x0eb1b800, /* addv s from .2s */
		0x4ef1b800, /* addv from .2d */
		0x2e30f800, /* fmaxv from .2s */
		0x0e60d400, /* fadd .1d */
		0x0e401400, /* fadd v0.4h (FP16) */
		0x0e809400, /* sdot (dot product) */
		0x4e284800, /* aese (crypto) */
		0x5e000000, /* sha1c (crypto) */
		0x0ee0e000, /* pmull .1q (crypto) */
		0xce000000, /* eor3 (SHA3) */
		0x5f080400, /* sshr b0 (scalar shifts are D only) */
		0x5e208400, /* add b0 (scalar add is D only) */
		0x5f408000, /* mul h0, h0, v0.h[] (no scalar form) */
		0x0f008000, /* mul by element, size 0 */
		0x4e400000, /* tbl with op2 = 01 */
		0x2e20bc00, /* three same U = 1, opcode 10111 */
		0x0e210800, /* two-register misc U = 0, opcode 10000 */
		0x7e20d400, /* scalar faddp-like U = 1 three same, FP16 space */
		0x2ea18800, /* two-register misc U = 1, a = 1, opcode 11000 */
		0x0f40e400, /* by element, opcode 1110 (sdot) */
		0x4ee1fa16, /* frecpx has no vector form */
	};
	int wrong = 0;
	for (size_t i = 0; i < sizeof undef / sizeof *undef; i++) {
		struct step s = run(cpu, undef[i]);
		if (s.op.cls != A64_CLS_INVALID || !s.ends || s.ret != 1 ||
		    cpu->exit != A64_EXIT_UNDEF || cpu->exit_insn != undef[i] || cpu->pc != PC) {
			fprintf(stderr, "not UNDEF: %08x\n", undef[i]);
			wrong++;
		}
	}
	CHECK(wrong == 0);
}

int main(void)
{
	struct a64_cpu *cpu = calloc(1, sizeof *cpu);
	if (!cpu)
		return 1;
	a64_fpu_attach(cpu);
	test_golden(cpu);
	test_fields(cpu);
	test_widths(cpu);
	test_qc(cpu);
	test_fp(cpu);
	test_undef(cpu);
	free(cpu);
	return check_done();
}
