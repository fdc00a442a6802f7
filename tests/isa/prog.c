/* tests/isa/prog: laying out test programs: prologues, sequences, epilogues, initial states and
 * dump areas at the addresses layout.h fixes. Pure computation (allocates the image). */
#include "prog.h"

#include <stdlib.h>
#include <string.h>

#include "enc.h"
#include "layout.h"

static size_t code_slot(int seqlen)
{
	size_t words = PROLOGUE_LEN + (size_t)seqlen + EPILOGUE_LEN + 1;
	return (words * 4 + 63) & ~(size_t)63;
}

static uint64_t slot_code(int slot, int seqlen)
{
	return CODE_BASE + (uint64_t)slot * code_slot(seqlen);
}

static uint64_t slot_data(int slot)
{
	return DATA_BASE + (uint64_t)slot * DATA_SLOT;
}

uint64_t prog_body_addr(int slot, int seqlen)
{
	return slot_code(slot, seqlen) + 4 * PROLOGUE_LEN;
}

uint64_t prog_scratch_addr(int slot)
{
	return slot_data(slot) + SCRATCH_OFF;
}

uint64_t prog_x28(int slot)
{
	return prog_scratch_addr(slot) + X28_START;
}

uint64_t prog_sp(int slot)
{
	return prog_scratch_addr(slot) + SP_START;
}

uint64_t prog_magic(long index)
{
	return REC_MAGIC_HI << 32 | (uint32_t)index;
}

/* Writes instructions at consecutive addresses. */
struct asm_ {
	uint32_t *w;
	uint64_t pc;
};

static void put(struct asm_ *a, uint32_t w)
{
	*a->w++ = w;
	a->pc += 4;
}

/* x0 = addr (ADRP + ADD). */
static void load_addr(struct asm_ *a, uint64_t addr)
{
	put(a, enc_adrp(0, a->pc, addr));
	put(a, enc_add_imm(0, 0, (uint32_t)(addr & 0xfff)));
}

static void prologue(struct asm_ *a, uint64_t init)
{
	put(a, A64_CLREX);
	load_addr(a, init);
	for (int i = 0; i < 32; i += 2) /* v0..v31, x0 advancing to init + 512 */
		put(a, enc_ldp_q_post32(i, i + 1, 0));
	put(a, enc_ldr_x(1, 0, INIT_NZCV - 512));
	put(a, enc_msr(SR_NZCV, 1));
	put(a, enc_ldr_x(1, 0, INIT_FPCR - 512));
	put(a, enc_msr(SR_FPCR, 1));
	put(a, enc_msr(SR_FPSR, 31));
	put(a, enc_ldr_x(1, 0, INIT_SP - 512));
	put(a, enc_add_imm(31, 1, 0)); /* mov sp, x1 */
	for (int i = 1; i < 31; i += 2)
		put(a, enc_ldp_x(i, i + 1, 0, INIT_X - 512 + 8 * i));
	put(a, enc_ldr_x(0, 0, INIT_X - 512));
}

static void epilogue(struct asm_ *a, uint64_t rec)
{
	put(a, enc_msr(SR_TPIDR_EL0, 0)); /* x0 is kept in TPIDR_EL0 while x0 points at rec */
	load_addr(a, rec);
	for (int i = 1; i < 31; i += 2)
		put(a, enc_stp_x(i, i + 1, 0, REC_X + 8 * i));
	put(a, enc_mrs(1, SR_TPIDR_EL0));
	put(a, enc_str_x(1, 0, REC_X));
	put(a, enc_add_imm(1, 31, 0)); /* mov x1, sp */
	put(a, enc_str_x(1, 0, REC_SP));
	put(a, enc_mrs(1, SR_NZCV));
	put(a, enc_str_x(1, 0, REC_NZCV));
	put(a, enc_mrs(1, SR_FPSR));
	put(a, enc_str_x(1, 0, REC_FPSR));
	put(a, enc_mrs(1, SR_FPCR));
	put(a, enc_str_x(1, 0, REC_FPCR));
	put(a, enc_add_imm(1, 0, REC_V));
	for (int i = 0; i < 32; i += 2)
		put(a, enc_stp_q_post32(i, i + 1, 1));
	put(a, enc_mov(1, 0));               /* write(1, rec, REC_SIZE) */
	put(a, enc_movz(1, 0, 1, 0));
	put(a, enc_movz(1, 2, REC_SIZE, 0));
	put(a, enc_movz(1, 8, 64, 0));
	put(a, A64_SVC0);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

int prog_build(struct image *im, const struct prog_item *items, int n, int seqlen)
{
	memset(im, 0, sizeof *im);
	int first = items[0].slot;
	size_t cslot = code_slot(seqlen);
	im->code_addr = slot_code(first, seqlen);
	im->code_len = cslot * (size_t)n + 16;
	im->data_addr = slot_data(first);
	im->data_len = (size_t)DATA_SLOT * (size_t)n;
	im->entry = im->code_addr;
	im->code = calloc(1, im->code_len);
	im->data = calloc(1, im->data_len);
	if (!im->code || !im->data) {
		image_free(im);
		return -1;
	}
	for (int k = 0; k < n; k++) {
		const struct prog_item *it = &items[k];
		struct asm_ a = {(uint32_t *)(im->code + cslot * (size_t)k), slot_code(it->slot, seqlen)};
		uint64_t init = slot_data(it->slot), rec = init + INIT_SIZE;
		prologue(&a, init);
		for (int i = 0; i < it->body->n; i++)
			put(&a, i < it->prefix ? it->body->w[i] : A64_NOP);
		epilogue(&a, rec);
		put(&a, enc_b((int64_t)(slot_code(it->slot + 1, seqlen) - a.pc) / 4));

		uint8_t *d = im->data + (size_t)DATA_SLOT * (size_t)k;
		memcpy(d + INIT_V, it->st->v, sizeof it->st->v);
		put64(d + INIT_NZCV, it->st->nzcv);
		put64(d + INIT_FPCR, it->st->fpcr);
		put64(d + INIT_SP, prog_sp(it->slot));
		for (int i = 0; i < 31; i++)
			put64(d + INIT_X + 8 * i, i == REG_PINNED ? prog_x28(it->slot) : it->st->x[i]);
		put64(d + INIT_SIZE + REC_MAGIC, prog_magic(it->index));
		memcpy(d + SCRATCH_OFF, it->st->scratch, SCRATCH_SIZE);
	}
	/* exit_group(0) after the last slot */
	struct asm_ a = {(uint32_t *)(im->code + cslot * (size_t)n), 0};
	put(&a, enc_movz(1, 0, 0, 0));
	put(&a, enc_movz(1, 8, 94, 0));
	put(&a, A64_SVC0);
	return 0;
}

void image_free(struct image *im)
{
	free(im->code);
	free(im->data);
	im->code = im->data = NULL;
}
