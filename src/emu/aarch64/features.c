/* emu/aarch64/features: the feature set of the emulated CPU. Pure data. */
#include "emu/aarch64/features.h"

/* Encoded as in MRS bits 20:5: o0(1) op1(3) CRn(4) CRm(4) op2(3), with op0 = 2 + o0. */
#define SYSREG(op0, op1, crn, crm, op2) \
	((uint32_t)(((op0) - 2) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2)))

uint64_t a64_hwcap(void)
{
	/* FP and Advanced SIMD are the arm64 baseline; CPUID means EL0 may read ID registers
	 * (the kernel traps and emulates them; we answer directly); ATOMICS is LSE; CRC32;
	 * LRCPC and ILRCPC are LDAPR and LDAPUR/STLUR (ldst.c); DCPOP is DC CVAP (branch.c). */
	return A64_HWCAP_FP | A64_HWCAP_ASIMD | A64_HWCAP_CPUID | A64_HWCAP_ATOMICS |
	       A64_HWCAP_CRC32 | A64_HWCAP_LRCPC | A64_HWCAP_DCPOP | A64_HWCAP_ILRCPC;
}

uint64_t a64_hwcap2(void)
{
	return 0;
}

bool a64_sysreg_id(uint32_t sysreg, uint64_t *value)
{
	switch (sysreg) {
	case SYSREG(3, 0, 0, 0, 0): /* MIDR_EL1: implementer 0 (software), part 0 */
		*value = 0x000f0000ull; /* architecture field 0xf: "see ID registers" */
		return true;
	case SYSREG(3, 0, 0, 0, 5): /* MPIDR_EL1 */
		*value = 0x80000000ull;
		return true;
	case SYSREG(3, 0, 0, 0, 6): /* REVIDR_EL1 */
		*value = 0;
		return true;
	case SYSREG(3, 0, 0, 4, 0): /* ID_AA64PFR0_EL1: EL0 AArch64 only, FP and AdvSIMD present */
		*value = 0x0000000000000011ull; /* EL0=1, EL1=1; FP=0 AdvSIMD=0 mean implemented */
		return true;
	case SYSREG(3, 0, 0, 4, 1): /* ID_AA64PFR1_EL1 */
	case SYSREG(3, 0, 0, 5, 0): /* ID_AA64DFR0_EL1 */
	case SYSREG(3, 0, 0, 5, 1):
	case SYSREG(3, 0, 0, 6, 2): /* ID_AA64ISAR2_EL1 */
	case SYSREG(3, 0, 0, 7, 1): /* ID_AA64MMFR1_EL1 */
	case SYSREG(3, 0, 0, 7, 2): /* ID_AA64MMFR2_EL1 */
	case SYSREG(3, 0, 0, 4, 4): /* ID_AA64ZFR0_EL1: no SVE */
		*value = 0;
		return true;
	case SYSREG(3, 0, 0, 6, 0): /* ID_AA64ISAR0_EL1: CRC32 (bits 19:16 = 1), Atomic (23:20 = 2) */
		*value = (1ull << 16) | (2ull << 20);
		return true;
	case SYSREG(3, 0, 0, 6, 1): /* ID_AA64ISAR1_EL1: LRCPC (bits 23:20) = 2, DPB (3:0) = 1 */
		*value = (2ull << 20) | 1;
		return true;
	case SYSREG(3, 0, 0, 7, 0): /* ID_AA64MMFR0_EL1: 4K granule, 48-bit PA */
		*value = 0x00000000ff000005ull & ~0xf0000000ull;
		return true;
	case SYSREG(3, 3, 0, 0, 1): /* CTR_EL0: 64-byte lines, IDC/DIC clear */
		*value = 0x8444c004ull;
		return true;
	case SYSREG(3, 3, 0, 0, 7): /* DCZID_EL0: DC ZVA allowed, 64-byte blocks (log2 words = 4) */
		*value = 4;
		return true;
	case SYSREG(3, 3, 14, 0, 0): /* CNTFRQ_EL0: 1 GHz, the unit CNTVCT_EL0 counts in */
		*value = 1000000000ull;
		return true;
	}
	return false;
}
