# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for amtless(1).
# The commands and their options are read from the program's own help
# ("amtless --help", "amtless COMMAND --help"), so the completion offers
# exactly what the installed program accepts.

# the commands, from the "Commands:" section of amtless --help
_amtless_commands()
{
	"$1" --help 2>/dev/null | sed -n '/^Commands:/,/^$/{/^  [a-z]/s/^  \([a-z_-]*\).*/\1/p}'
}

# the options of "amtless COMMAND": the option column of its --help (an
# indented line starting with '-', up to two spaces)
_amtless_options()
{
	"$1" "$2" --help 2>/dev/null | awk '/^[ \t]+-/ {
		sub(/^[ \t]+/, ""); sub(/  .*/, "")
		n = split($0, w, /[ ,]+/)
		for (i = 1; i <= n; i++) if (w[i] ~ /^--?[A-Za-z0-9]/) print w[i]
	}' | sort -u
}

# the platform keys --platform accepts (its usage error lists them)
_amtless_platforms()
{
	"$1" inspect --platform '' 2>&1 | sed -n "s/.*known: *//p"
}

_amtless()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local prog=${COMP_WORDS[0]} cmd= i dashdash=
	# --opt=value: bash splits at '='
	if [ "$cur" = "=" ]; then
		cur= prev=${COMP_WORDS[COMP_CWORD - 1]}
	elif [ "$prev" = "=" ] && [ "$COMP_CWORD" -ge 2 ]; then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	fi
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--) [ -n "$cmd" ] && dashdash=1 ;;
		-* | =) ;;
		*) [ -z "$cmd" ] && cmd=${COMP_WORDS[i]} ;;
		esac
	done
	COMPREPLY=()
	if [ -z "$cmd" ]; then
		if [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "--help --version" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -W "$(_amtless_commands "$prog")" -- "$cur")
		fi
		return
	fi
	if [ -z "$dashdash" ]; then
		# the argument of an option
		case $cmd:$prev in
		*:--platform)
			mapfile -t COMPREPLY < <(compgen -W "$(_amtless_platforms "$prog")" -- "$cur")
			return ;;
		audit:--format)
			mapfile -t COMPREPLY < <(compgen -W "text json prometheus" -- "$cur")
			return ;;
		extract:-d | extract:--dir | audit:--root)
			compopt -o filenames 2>/dev/null
			mapfile -t COMPREPLY < <(compgen -d -- "$cur")
			return ;;
		neutralize:-o | enable-me:-o | *:--output | *:--layout | *:--extract-descriptor | *:--extract-me | \
			audit:--image | audit:--mei-device | me_cleaner:-[ODM] | flash:--backup | flash:--restore)
			compopt -o filenames 2>/dev/null
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			return ;;
		inspect:-j | inspect:--jobs)
			mapfile -t COMPREPLY < <(compgen -W "$(seq 1 "$(nproc 2>/dev/null || echo 1)")" -- "$cur")
			return ;;
		extract:--only | neutralize:--keep-partitions | neutralize:--remove-partitions | \
			neutralize:--expert-disable-bit | me_cleaner:-[wb] | me_cleaner:--whitelist | \
			me_cleaner:--blacklist | flash:-p | flash:--programmer | flash:-c | flash:--chip | \
			flash:--keep-partitions | flash:--remove-partitions | flash:--expert-disable-bit)
			return ;;
		esac
		if [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$(_amtless_options "$prog" "$cmd")" -- "$cur")
			return
		fi
	fi
	# operands: image files (and directories, which inspect -r walks); flash
	# takes none (the image is the chip)
	[ "$cmd" = flash ] && return
	compopt -o filenames 2>/dev/null
	mapfile -t COMPREPLY < <(compgen -f -- "$cur")
}
complete -F _amtless amtless
