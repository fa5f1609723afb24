/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "formats.h"
#include "iommufd.h"
#include "output.h"
#include "smmuv3.h"
#include "smmuv3_evtlog.h"
#include "smmuv3_queue.h"
#include "smmuv3_queue_rules.h"
#include "viommu.h"
#include "vtd.h"

/* The one list of what pasidtool knows; the core never names a vendor. */
void pt_formats_init(void)
{
	pt_rules_register(&pt_source_rules);
	pt_rules_register(&pt_core_rules);
	pt_rules_register(&pt_output_rules);
	pt_format_register(&smmu_cd_format);
	smmu_strtab_register();
	smmu_queue_register();
	pt_rules_register(&smmu_queue_rules);
	pt_rules_register(&smmu_evtlog_rules);
	pt_viommu_register();
	pt_iommufd_register();
	pt_format_register(&vtd_pasid_format);
}
