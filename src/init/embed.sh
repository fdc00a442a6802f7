#!/bin/sh
# embed.sh INPUT OUTPUT: write an assembly file whose data is INPUT's bytes, between the
# symbols vireo_init_blob and vireo_init_blob_end.
set -e
cat > "$2" <<ASM
	.section .rodata
	.balign 16
	.globl vireo_init_blob
vireo_init_blob:
	.incbin "$1"
	.globl vireo_init_blob_end
vireo_init_blob_end:
	.section .note.GNU-stack,"",@progbits
ASM
