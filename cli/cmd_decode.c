#include <argp.h>

#include "cli.h"
#include "inspect.h"

static const char doc[] =
	"Decode an SMMUv3 CD table (linear or 2-level) from a raw image or an ELF memory "
	"dump, as text or JSON.\v"
	"Examples:\n"
	"  pasidtool decode cd.bin --base 0x80000000 --ssid-bits 4\n"
	"  pasidtool decode l1.bin --base 0x80000000 --layout 2lvl-64k --ssid-bits 16 --json\n"
	"  pasidtool decode guest.elf --cd-table 0x41230000 --ssid 0\n";

static const struct argp_child children[] = {
	{ &pt_inspect_argp, 0, NULL, 0 },
	{ NULL, 0, NULL, 0 },
};

static error_t parse_opt(int key, char *arg, struct argp_state *st)
{
	(void)arg;
	if (key == ARGP_KEY_INIT)
		st->child_inputs[0] = st->input;
	return ARGP_ERR_UNKNOWN;
}

static const struct argp argp = { NULL, parse_opt, "INPUT...", doc, children, NULL, NULL };

int cmd_decode(int argc, char **argv)
{
	struct pt_inspect_opts o;
	pt_inspect_defaults(&o);
	o.show_entries = 1;
	argp_program_version = "pasidtool " PT_VERSION;
	if (argp_parse(&argp, argc, argv, 0, NULL, &o) != 0)
		return PT_EXIT_USAGE;
	return pt_inspect_run(&o, "pasidtool.decode/1");
}
