# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for pasidtool(1).
# Installed as share/bash-completion/completions/pasidtool; or source it.
#
# Options are read from `pasidtool COMMAND --help` of the very binary being
# completed (COMP_WORDS[0]), so a new option completes without editing this
# file; only the values of a few options are listed here. Needs nothing
# from the bash-completion package.

# Words never hold blanks; file names may, hence the two splitters.
_pasidtool_words()
{
	local IFS=$' \t\n'
	COMPREPLY=($(compgen -W "$1" -- "$2"))
}

_pasidtool_files()
{
	local IFS=$'\n'
	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen -f -- "$1"))
}

_pasidtool()
{
	local prog=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} prev=
	local commands
	commands=$("$prog" --help 2>/dev/null |
		sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
	local cmd= sub= i w
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# "--opt=val": bash splits at '=' (COMP_WORDBREAKS), so the option is
	# two words back and the current word is the value.
	if [[ $cur == "=" ]]; then
		cur=
	fi
	if [[ $prev == "=" ]] && ((COMP_CWORD > 1)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	fi
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [[ -z $cmd && $w != -* ]]; then
			cmd=$w
		elif [[ ($cmd == attach || $cmd == iommufd) && -z $sub && $w != -* && $w != "=" ]]; then
			sub=$w
		fi
	done

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			_pasidtool_words "--help --usage --version" "$cur"
		else
			_pasidtool_words "$commands" "$cur"
		fi
		return 0
	fi

	case $prev in
	--layout)
		_pasidtool_words "linear 2lvl-4k 2lvl-64k" "$cur"
		return 0 ;;
	--color)
		_pasidtool_words "auto always never" "$cur"
		return 0 ;;
	--access)
		_pasidtool_words "r w x" "$cur"
		return 0 ;;
	--variant)
		_pasidtool_words "rfc1 v09d v07 intel qcom" "$cur"
		return 0 ;;
	--type)
		_pasidtool_words "vste invalidate hw-info vevent" "$cur"
		return 0 ;;
	--kind)
		_pasidtool_words "smmuv3-strtab smmuv3-cd vtd-pasid" "$cur"
		return 0 ;;
	--format)
		_pasidtool_words "$("$prog" formats 2>/dev/null | sed -n 's/^\([a-z][a-z0-9-]*\): .*/\1/p')" "$cur"
		return 0 ;;
	--caps | --cd-caps)
		if [[ $cmd == attach && $prev == --caps ]]; then
			# The device's announced caps: keys only, no profiles.
			local head=
			[[ $cur == *,* ]] && head=${cur%,*},
			_pasidtool_words "$(printf '%s=\n' pasid-bits asid-bits oas cd2l pst-format \
				pgt-format page-size-mask endpoint | sed "s/^/$head/")" "$cur"
			compopt -o nospace 2>/dev/null
			return 0
		fi
		# A profile, or KEY= of the last comma-separated item.
		local head= keys
		[[ $cur == *,* ]] && head=${cur%,*},
		keys=$("$prog" validate --help 2>/dev/null |
			sed -n '/^Keys:/,/^$/s/^  \([a-z0-9-]\{1,\}\) .*/\1=/p')
		_pasidtool_words "$(printf '%s\n' generic qemu linux-host $keys |
			sed "s/^/$head/")" "$cur"
		compopt -o nospace 2>/dev/null
		return 0 ;;
	--rule)
		local ids
		ids=$("$prog" rules 2>/dev/null | awk '{ print $1 "=" }')
		_pasidtool_words "$ids" "$cur"
		compopt -o nospace 2>/dev/null
		return 0 ;;
	-o | --output | --save-pages | --dump | --probe | --attach-out | --emit-invalidations | \
	--vste | --regs | --event-log | --hw-info)
		_pasidtool_files "$cur"
		return 0 ;;
	--base | --cd-table | --ssid-bits | --ssid | --ste | --strtab | --strtab-cfg | \
	--sid | --probe-size | --domain | --endpoint | --hex | --s2-ste | --max-entries | --max-input | \
	--cmdq | --cmdq-prod | --cmdq-cons | --evtq | --evtq-prod | --evtq-cons | --priq | --priq-prod | \
	--priq-cons | --event | --vdevice | --entry-len | --at)
		return 0 ;;
	esac

	if [[ $cmd == attach && -z $sub && $cur != -* ]]; then
		_pasidtool_words "decode validate build" "$cur"
		return 0
	fi
	if [[ $cmd == iommufd && -z $sub && $cur != -* ]]; then
		_pasidtool_words "decode validate build nest" "$cur"
		return 0
	fi
	if [[ $cur == -* ]]; then
		local opts
		opts=$("$prog" "$cmd" --help 2>/dev/null |
			sed -n 's/^ \{1,\}\(-[a-zA-Z?], \)\{0,1\}\(--[a-z][a-z0-9-]*\).*/\2/p' | awk '!seen[$0]++')
		_pasidtool_words "$opts" "$cur"
		return 0
	fi
	case $cmd in
	formats)
		_pasidtool_words "$("$prog" formats 2>/dev/null | sed -n 's/^\([a-z][a-z0-9-]*\): .*/\1/p')" "$cur"
		return 0 ;;
	rules)
		_pasidtool_words "$("$prog" rules 2>/dev/null | awk '{ print $1 }')" "$cur"
		return 0 ;;
	esac
	_pasidtool_files "$cur"
	return 0
}

complete -F _pasidtool pasidtool
