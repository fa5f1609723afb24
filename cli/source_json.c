/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "source_json.h"

#include "emit.h"

static json_t *kernel_json(const struct pt_kernel_info *k)
{
	json_t *kj = json_object();
	if (k->release[0])
		json_object_set_new(kj, "release", json_string(k->release));
	if (k->machine[0])
		json_object_set_new(kj, "machine", json_string(k->machine));
	if (k->page_size)
		json_object_set_new(kj, "page_size", json_integer(k->page_size));
	if (k->has_phys_base)
		json_object_set_new(kj, "phys_base", pt_json_hex(k->phys_base));
	if (k->configs[0])
		json_object_set_new(kj, "configs", json_string(k->configs));
	return kj;
}

json_t *pt_cli_source_json(const char *const *inputs, size_t ninputs,
			   const struct pt_source *src)
{
	json_t *s = json_object(), *in = json_array();
	for (size_t i = 0; i < ninputs; i++)
		json_array_append_new(in, json_string(inputs[i]));
	json_object_set_new(s, "inputs", in);
	json_object_set_new(s, "kind", json_string(pt_source_kind_name(src)));
	uint64_t lo, hi;
	uint64_t total = pt_source_span(src, &lo, &hi);
	json_object_set_new(s, "base", pt_json_hex(lo));
	json_object_set_new(s, "size", pt_json_hex(hi - lo + 1));
	json_object_set_new(s, "bytes", pt_json_hex(total));
	json_object_set_new(s, "ranges", json_integer(src->nranges));
	struct pt_kernel_info k;
	if (pt_source_kernel(src, &k) == 0)
		json_object_set_new(s, "kernel", kernel_json(&k));
	return s;
}
