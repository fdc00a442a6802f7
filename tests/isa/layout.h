/* tests/isa/layout: where a generated test program puts things, shared by the program builder
 * (which writes them), the comparison (which reads the dumps) and the self-test (which predicts
 * them). Every sequence owns a code slot and a data slot at addresses fixed by its slot number,
 * so a sequence rebuilt alone (for bisection) runs at the same addresses as in its batch.
 *
 * Data slot (DATA_SLOT bytes):
 *   +0     initial state, loaded by the prologue:
 *            +0 v0..v31 (16 bytes each)  +512 NZCV  +520 FPCR  +528 SP  +544 x0..x30
 *   +800   dump record, written by the epilogue and sent to stdout with write(2):
 *            +0 x0..x30  +248 SP  +256 NZCV  +264 FPSR  +272 FPCR  +280 magic|index
 *            +288 v0..v31  +800 the scratch buffer (SCRATCH_SIZE bytes, random at start;
 *            x28 and SP point into it and are the pinned memory bases)
 */
#ifndef ISA_LAYOUT_H
#define ISA_LAYOUT_H

#define CODE_BASE 0x400000ull
#define DATA_BASE 0x10000000ull
#define PAGE 4096ull

#define INIT_V 0
#define INIT_NZCV 512
#define INIT_FPCR 520
#define INIT_SP 528
#define INIT_X 544
#define INIT_SIZE 800

#define REC_X 0
#define REC_SP 248
#define REC_NZCV 256
#define REC_FPSR 264
#define REC_FPCR 272
#define REC_MAGIC 280
#define REC_V 288
#define REC_MEM 800
#define SCRATCH_SIZE 1024
#define REC_SIZE (REC_MEM + SCRATCH_SIZE)

#define DATA_SLOT (INIT_SIZE + REC_SIZE)
#define SCRATCH_OFF (INIT_SIZE + REC_MEM) /* scratch buffer within the data slot */

/* Where the pinned bases start, as offsets into the scratch buffer. */
#define X28_START 384
#define SP_START 640

/* The record's magic: this constant in the high half, the sequence's index in the low half. */
#define REC_MAGIC_HI 0x49534144ull /* "DASI" */

/* Instructions in the prologue and epilogue (prog.c), and the exit stub after the last slot. */
#define PROLOGUE_LEN 42
#define EPILOGUE_LEN 50

#endif
