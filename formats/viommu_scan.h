/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The virtio-iommu scanner (ATTACH_TABLE requests left in a dump),
 * registered with the core's scan driver after the SMMU scanner, whose CD
 * tables it looks up. */
#ifndef PT_VIOMMU_SCAN_H
#define PT_VIOMMU_SCAN_H

void viommu_scan_register(void);

#endif
