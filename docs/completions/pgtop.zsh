#compdef pgtop

__pgtop_complete() {
    local -ar non_empty_completions=("${@:#(|:*)}")
    local -ar empty_completions=("${(M)@:#(|:*)}")
    _describe -V '' non_empty_completions -- empty_completions -P $'\'\''
}

__pgtop_custom_complete() {
    local -a completions
    completions=("${(@f)"$("${command_name}" "${@}" "${command_line[@]}")"}")
    if [[ "${#completions[@]}" -gt 1 ]]; then
        __pgtop_complete "${completions[@]:0:-1}"
    fi
}

__pgtop_cursor_index_in_current_word() {
    if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
        printf 0
    else
        printf %s "${#${(z)LBUFFER}[-1]}"
    fi
}

_pgtop() {
    emulate -RL zsh -G
    setopt extendedglob nullglob numericglobsort
    unsetopt aliases banghist

    local -xr SAP_SHELL=zsh
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(builtin emulate zsh -c 'printf %s "${ZSH_VERSION}"')"
    local -r SAP_SHELL_VERSION

    local context state state_descr line
    local -A opt_args

    local -r command_name="${words[1]}"
    local -ar command_line=("${words[@]}")
    local -ir current_word_index="$((CURRENT - 1))"

    local -i ret=1
    local -ar arg_specs=(
        ':conninfo:'
        '(--host -h)'{--host,-h}'[Database server host or socket directory.]:host:'
        '(--port -p)'{--port,-p}'[Database server port.]:port:'
        '(-U --username)'{-U,--username}'[Database user name.]:user:'
        '(-d --dbname)'{-d,--dbname}'[Database name to connect to.]:dbname:'
        '(--refresh -r)'{--refresh,-r}'[Refresh interval in seconds, at least 0.1 (default 1).]:seconds:'
        '--idle-warn[Highlight sessions idle in transaction for this many seconds (default 60).]:seconds:'
        '--audit-log[Append every cancel/terminate to this file (default\: $XDG_STATE_HOME/pgtop/actions.log).]:path:'
        '--no-audit-log[Keep no audit log.]'
        '--demo[Start a throwaway local PostgreSQL cluster with a live incident in it, watch it, remove it on exit.]'
        '--demo-bin[Where --demo finds initdb and pg_ctl (default\: PATH, then the newest /usr/lib/postgresql/*/bin).]:dir:'
        '--config[Settings file (default\: $XDG_CONFIG_HOME/pgtop/config, TOML; see man pgtop).]:path:'
        '--profile[Use the config file'\''s \[profile.NAME\]\: its connection and settings.]:name:'
        '--view[First view\: all, active, idle-in-transaction, waiting, blocking (default all).]:view:'
        '--filter[Only backends whose pid, database, user, application, client, state or query contains this (any case).]:text:'
        '--min-duration[Only backends older than this by the ELAPSED clock\: 90, 90s, 5m, 2h, 1d (on the screen\: m).]:duration:'
        '--sort[Sort column\: pid, database, user, client, application, state, wait, blocked-by, cpu, memory, read-rate, write-rate, elapsed, query (natural direction; default elapsed).]:column:'
        '--elapsed[ELAPSED since the query start, transaction start, state change (idle for) or backend start\: query, transaction, state, backend (default query).]:clock:'
        '--columns[The table'\''s columns, in order, comma-separated (query, if given, last); e.g. pid,user,state,elapsed,query.]:list:'
        '--no-color[No colours\: bold, reverse and underline only (as when NO_COLOR is set).]'
        '--no-mouse[Leave the mouse to the terminal (no click to select or sort, no wheel).]'
        '--once[Print one snapshot and exit (no terminal needed).]'
        '--iterations[Print this many snapshots, one refresh apart, and exit.]:n:'
        '--format[Output of --once/--iterations\: table, csv, json (JSON Lines; default table).]:format:'
        '--fail-if-empty[With --once/--iterations\: exit 1 when no backend matched.]'
        '--terminate[With --once\: terminate exactly the backends selected (only with --yes; without it, say what would be done and exit 3).]'
        '--cancel[With --once\: cancel the queries of exactly the backends selected (only with --yes; else a dry run, exit 3).]'
        '--yes[Really send --terminate or --cancel.]'
        '--record[Record what the screen watches, on its connection, into FILE as pgtop record does; a bare --record\: $XDG_STATE_HOME/pgtop/HOST-PORT.pgtop. Write it --record=FILE.]:file:'
        '--allow-pid-only[Cancel/terminate (k, c, --terminate, --cancel) a session whose backend_start is hidden from this role (no pg_read_all_stats) by its pid alone\: a session given the same pid in the meantime would be signalled.]'
        '--version[Show the version.]'
        '(-? --help)'{-?,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'help:Show subcommand help information.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        help)
            "_pgtop_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_pgtop_help() {
    local -i ret=1
    local -ar arg_specs=(
        '*:subcommands:'
        '--version[Show the version.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

if [[ "${funcstack[1]}" = _pgtop ]]; then
    _pgtop "${@}"
else
    compdef _pgtop pgtop
fi
