/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The SMMUv3 scanner (stream tables and CD tables in a dump without register
 * values), registered with the core's scan driver. */
#ifndef PT_SMMUV3_SCAN_H
#define PT_SMMUV3_SCAN_H

void smmu_scan_register(void);

#endif
