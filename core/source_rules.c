/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "source.h"

const struct pt_rule pt_source_rule_list[PT_R_SRC_COUNT] = {
	[PT_R_SRC_UNREADABLE] = { "SRC-UNREADABLE", PT_SEV_ERROR, NULL,
		"an input file cannot be opened, mapped or read", "nothing is decoded",
		"pasidtool" },
	[PT_R_SRC_EMPTY] = { "SRC-EMPTY", PT_SEV_ERROR, NULL,
		"the input holds no bytes of memory (empty file, ELF core without PT_LOAD)",
		"nothing is decoded", "pasidtool" },
	[PT_R_SRC_OVERLAP] = { "SRC-OVERLAP", PT_SEV_WARNING, NULL,
		"two segments or FILE@ADDR images claim the same physical address",
		"the later one is ignored", "ELF gABI program headers; crash(8) FILE@ADDR" },
	[PT_R_SRC_ELF_HEADER] = { "SRC-ELF-HEADER", PT_SEV_ERROR, NULL,
		"the ELF header or program header table is truncated or malformed",
		"the file cannot be read as a dump", "ELF gABI" },
	[PT_R_SRC_ELF_CLASS] = { "SRC-ELF-CLASS", PT_SEV_ERROR, NULL,
		"the ELF file has an unknown class or data encoding (neither 32/64-bit nor "
		"little/big-endian)", "the file is refused", "ELF gABI" },
	[PT_R_SRC_ELF_TYPE] = { "SRC-ELF-TYPE", PT_SEV_WARNING, NULL,
		"the ELF file is not a core file (e_type is not ET_CORE)",
		"its PT_LOAD segments are used anyway", "ELF gABI" },
	[PT_R_SRC_SEG_PAST_EOF] = { "SRC-SEG-PAST-EOF", PT_SEV_WARNING, NULL,
		"a PT_LOAD segment's file bytes lie past the end of the file (truncated dump)",
		"the missing part is not readable", "ELF gABI" },
	[PT_R_SRC_SEG_SIZE] = { "SRC-SEG-SIZE", PT_SEV_WARNING, NULL,
		"a PT_LOAD segment has p_filesz > p_memsz or an address range that wraps 2^64",
		"the segment is ignored", "ELF gABI" },
	[PT_R_SRC_TOO_MANY] = { "SRC-TOO-MANY", PT_SEV_ERROR, NULL,
		"more segments or files than pasidtool accepts", "the rest is ignored",
		"pasidtool limit" },
	[PT_R_SRC_KDUMP] = { "SRC-KDUMP-COMPRESSED", PT_SEV_ERROR, NULL,
		"a kdump-compressed dump uses a compression this pasidtool was built without "
		"(lzo, snappy or zstd library missing) or an unknown one",
		"its pages cannot be read; convert with makedumpfile -E",
		"makedumpfile diskdump_mod.h DUMP_DH_COMPRESSED_*" },
	[PT_R_SRC_BAD_ADDR] = { "SRC-BAD-ADDRESS", PT_SEV_ERROR, NULL,
		"FILE@ADDR or --base gives an address that is not a number or wraps 2^64",
		"the input is refused", "crash(8) FILE@ADDR" },
	[PT_R_SRC_KDUMP_HEADER] = { "SRC-KDUMP-HEADER", PT_SEV_ERROR, NULL,
		"a kdump-compressed header is truncated or malformed (block size, sub-header, "
		"page count, split range)", "the file cannot be read as a dump",
		"makedumpfile diskdump_mod.h struct disk_dump_header, kdump_sub_header" },
	[PT_R_SRC_KDUMP_BITMAP] = { "SRC-KDUMP-BITMAP", PT_SEV_ERROR, NULL,
		"the kdump bitmaps lie past the end of the file or are too small for the pages "
		"the header claims", "the file cannot be read as a dump",
		"makedumpfile write_kdump_bitmap; crash diskdump.c" },
	[PT_R_SRC_KDUMP_PAGE] = { "SRC-KDUMP-PAGE", PT_SEV_ERROR, NULL,
		"a page's descriptor or data lies past the end of the file, is larger than a page, "
		"or does not decompress to exactly one page",
		"the page is not readable", "makedumpfile page_desc_t; crash diskdump.c cache_page()" },
	[PT_R_SRC_KDUMP_SPLIT] = { "SRC-KDUMP-SPLIT", PT_SEV_ERROR, NULL,
		"files given together are not the parts of one makedumpfile --split dump "
		"(different page sizes, overlapping or non-split files)", "the input is refused",
		"makedumpfile --split; crash diskdump.c read_dump_header()" },
	[PT_R_SRC_KDUMP_INCOMPLETE] = { "SRC-KDUMP-INCOMPLETE", PT_SEV_WARNING, NULL,
		"the kdump header says the dump is incomplete (the disk filled up while writing)",
		"pages never written are not readable",
		"makedumpfile DUMP_DH_COMPRESSED_INCOMPLETE" },
	[PT_R_SRC_FLAT] = { "SRC-FLAT", PT_SEV_ERROR, NULL,
		"a makedumpfile flattened stream (-F) has a bad header, a record past the end of "
		"the file, overlapping records or no end marker", "the file cannot be read as a dump",
		"makedumpfile makedumpfile.h struct makedumpfile_data_header" },
};

const struct pt_rule_set pt_source_rules = { "source", pt_source_rule_list, PT_R_SRC_COUNT };
