function __pgtop_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __pgtop_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __pgtop_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __pgtop_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __pgtop_parse_tokens -S
    set -l unparsed_tokens (__pgtop_tokens -pc)
    switch $unparsed_tokens[1]
    case 'pgtop'
        __pgtop_parse_subcommand 1 'h/host=' 'p/port=' 'U/username=' 'd/dbname=' 'r/refresh=' 'idle-warn=' 'audit-log=' 'no-audit-log' 'demo' 'demo-bin=' 'config=' 'profile=' 'view=' 'filter=' 'min-duration=' 'sort=' 'elapsed=' 'columns=' 'no-color' 'no-mouse' 'once' 'iterations=' 'format=' 'fail-if-empty' 'terminate' 'cancel' 'yes' 'record=' 'allow-pid-only' 'version' '?/help'
        switch $unparsed_tokens[1]
        case 'help'
            __pgtop_parse_subcommand -r 1 'version'
        end
    end
end

function __pgtop_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __pgtop_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __pgtop_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __pgtop_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__pgtop_tokens -p)
    if test -z "$(__pgtop_tokens -t)"
        set -l index (count (__pgtop_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'pgtop' -f
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" h host' -l 'host' -s 'h' -d 'Database server host or socket directory.' -rfka ''
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" p port' -l 'port' -s 'p' -d 'Database server port.' -rfka ''
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" U username' -s 'U' -l 'username' -d 'Database user name.' -rfka ''
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" d dbname' -s 'd' -l 'dbname' -d 'Database name to connect to.' -rfka ''
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" r refresh' -l 'refresh' -s 'r' -d 'Refresh interval in seconds, at least 0.1 (default 1).' -rfka ''
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" idle-warn' -l 'idle-warn' -d 'Highlight sessions idle in transaction for this many seconds (default 60).' -rfka ''
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" audit-log' -l 'audit-log' -d 'Append every cancel/terminate to this file (default: $XDG_STATE_HOME/pgtop/actions.log).' -rfka ''
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" no-audit-log' -l 'no-audit-log' -d 'Keep no audit log.'
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" demo' -l 'demo' -d 'Start a throwaway local PostgreSQL cluster with a live incident in it, watch it, remove it on exit.'
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" demo-bin' -l 'demo-bin' -d 'Where --demo finds initdb and pg_ctl (default: PATH, then the newest /usr/lib/postgresql/*/bin).' -rfka ''
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" config' -l 'config' -d 'Settings file (default: $XDG_CONFIG_HOME/pgtop/config, TOML; see man pgtop).' -rfka ''
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" profile' -l 'profile' -d 'Use the config file\'s [profile.NAME]: its connection and settings.' -rfka ''
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" view' -l 'view' -d 'First view: all, active, idle-in-transaction, waiting, blocking (default all).' -rfka ''
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" filter' -l 'filter' -d 'Only backends whose pid, database, user, application, client, state or query contains this (any case).' -rfka ''
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" min-duration' -l 'min-duration' -d 'Only backends older than this by the ELAPSED clock: 90, 90s, 5m, 2h, 1d (on the screen: m).' -rfka ''
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" sort' -l 'sort' -d 'Sort column: pid, database, user, client, application, state, wait, blocked-by, cpu, memory, read-rate, write-rate, elapsed, query (natural direction; default elapsed).' -rfka ''
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" elapsed' -l 'elapsed' -d 'ELAPSED since the query start, transaction start, state change (idle for) or backend start: query, transaction, state, backend (default query).' -rfka ''
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" columns' -l 'columns' -d 'The table\'s columns, in order, comma-separated (query, if given, last); e.g. pid,user,state,elapsed,query.' -rfka ''
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" no-color' -l 'no-color' -d 'No colours: bold, reverse and underline only (as when NO_COLOR is set).'
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" no-mouse' -l 'no-mouse' -d 'Leave the mouse to the terminal (no click to select or sort, no wheel).'
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" once' -l 'once' -d 'Print one snapshot and exit (no terminal needed).'
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" iterations' -l 'iterations' -d 'Print this many snapshots, one refresh apart, and exit.' -rfka ''
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" format' -l 'format' -d 'Output of --once/--iterations: table, csv, json (JSON Lines; default table).' -rfka ''
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" fail-if-empty' -l 'fail-if-empty' -d 'With --once/--iterations: exit 1 when no backend matched.'
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" terminate' -l 'terminate' -d 'With --once: terminate exactly the backends selected (only with --yes; without it, say what would be done and exit 3).'
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" cancel' -l 'cancel' -d 'With --once: cancel the queries of exactly the backends selected (only with --yes; else a dry run, exit 3).'
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" yes' -l 'yes' -d 'Really send --terminate or --cancel.'
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" record' -l 'record' -d 'Record what the screen watches, on its connection, into FILE as pgtop record does; a bare --record: $XDG_STATE_HOME/pgtop/HOST-PORT.pgtop. Write it --record=FILE.' -rfka ''
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" allow-pid-only' -l 'allow-pid-only' -d 'Cancel/terminate (k, c, --terminate, --cancel) a session whose backend_start is hidden from this role (no pg_read_all_stats) by its pid alone: a session given the same pid in the meantime would be signalled.'
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" version' -l 'version' -d 'Show the version.'
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop" ? help' -s '?' -l 'help' -d 'Show help information.'
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_positional "pgtop" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'pgtop' -n '__pgtop_should_offer_completions_for_flags_or_options "pgtop help" version' -l 'version' -d 'Show the version.'
