/* emu/aarch64/features: what the emulated CPU implements, in one place: the AT_HWCAP bits a
 * program sees in its auxiliary vector and the ID registers MRS returns (HWCAP_CPUID), which
 * must agree. Advertise only what the decoders and back ends really implement. */
#ifndef VIREO_A64_FEATURES_H
#define VIREO_A64_FEATURES_H

#include <stdbool.h>
#include <stdint.h>

/* Linux's arm64 HWCAP bits (arch/arm64/include/uapi/asm/hwcap.h). */
#define A64_HWCAP_FP (1ul << 0)
#define A64_HWCAP_ASIMD (1ul << 1)
#define A64_HWCAP_EVTSTRM (1ul << 2)
#define A64_HWCAP_AES (1ul << 3)
#define A64_HWCAP_PMULL (1ul << 4)
#define A64_HWCAP_SHA1 (1ul << 5)
#define A64_HWCAP_SHA2 (1ul << 6)
#define A64_HWCAP_CRC32 (1ul << 7)
#define A64_HWCAP_ATOMICS (1ul << 8)
#define A64_HWCAP_FPHP (1ul << 9)
#define A64_HWCAP_ASIMDHP (1ul << 10)
#define A64_HWCAP_CPUID (1ul << 11)
#define A64_HWCAP_LRCPC (1ul << 15)
#define A64_HWCAP_DCPOP (1ul << 16)
#define A64_HWCAP_ILRCPC (1ul << 26)

uint64_t a64_hwcap(void);
uint64_t a64_hwcap2(void);
/* The value MRS reads for an EL0-visible or CPUID-emulated system register, given as
 * op0:op1:CRn:CRm:op2 packed like the MRS encoding's bits 20:5. False when unknown (UNDEF). */
bool a64_sysreg_id(uint32_t sysreg, uint64_t *value);

#endif
