/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The SMMUv3 PRI queue entry (IHI 0070 G.b chapter 8; Linux PRIQ_*): one
 * PCIe page request as the SMMU queues it for software, answered by
 * CMD_PRI_RESP with the same PRGIndex. */
#include "field_bits.h"
#include "smmuv3_queue.h"

static const struct pt_field f_priq[] = {
	BID("sid", "StreamID", 31, 0, "StreamID (the PCIe Requester ID)"),
	BH("ssid", "SubstreamID", 51, 32, "SubstreamID (PASID; UNKNOWN when SSV=0)"),
	BR(57, 52),
	BB("priv", "Priv", 58, "privileged access requested"),
	BB("exec", "Exec", 59, "execute access requested"),
	BB("read", "Read", 60, "read access requested"),
	BB("write", "Write", 61, "write access requested"),
	BB("last", "Last", 62, "last request of its page request group"),
	BB("ssv", "SSV", 63, "PASID prefix present"),
	BZ("prgindex", "PRGIndex", 72, 64, "page request group index"),
	BR(75, 73),
	BA("address", "Address", 127, 76, "page address"),
};

const struct pt_struct smmu_priq_struct = {
	"smmuv3-priq", "SMMUv3 PRI queue entry", SMMU_PRIQ_SIZE, f_priq, NFIELDS(f_priq),
	"a PCIe page request, IHI 0070 chapter 8", PT_SF_COMPACT,
};
