/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "formats.h"
#include "iommufd.h"
#include "output.h"
#include "smmuv3.h"
#include "smmuv3_qemu.h"
#include "smmuv3_regs.h"
#include "smmuv3_scan.h"
#include "smmuv3_evtlog.h"
#include "smmuv3_queue.h"
#include "smmuv3_queue_rules.h"
#include "ptwalk.h"
#include "smmuv3.h"
#include "vmsa_pt.h"
#include "viommu.h"
#include "vtd.h"
#include "viommu_scan.h"
#include "vtd_scan.h"

/* The one list of what pasidtool knows; the core never names a vendor. */
void pt_formats_init(void)
{
	pt_rules_register(&pt_source_rules);
	pt_rules_register(&pt_core_rules);
	pt_rules_register(&pt_output_rules);
	pt_rules_register(&pt_ptw_rules);
	pt_format_register(&smmu_cd_format);
	smmu_strtab_register();
	smmu_regs_register();
	pt_rules_register(&smmu_qemu_rules);
	smmu_queue_register();
	pt_rules_register(&smmu_queue_rules);
	pt_rules_register(&smmu_evtlog_rules);
	pt_viommu_register();
	pt_iommufd_register();
	pt_format_register(&vtd_pasid_format);
	vmsa_pt_register();
	smmu_scan_register();
	vtd_scan_register();
	viommu_scan_register();
}
