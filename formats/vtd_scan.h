/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The VT-d scanner (PASID directories in a dump without the context entry
 * that names them), registered with the core's scan driver. */
#ifndef PT_VTD_SCAN_H
#define PT_VTD_SCAN_H

void vtd_scan_register(void);

#endif
