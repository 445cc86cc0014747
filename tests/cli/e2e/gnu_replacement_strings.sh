# GNU parallel's replacement strings mean in taskfarm what they mean in GNU parallel: for each
# template, `taskfarm run --dry-run` prints exactly what the real `parallel --dry-run` prints
# (the same argument lists, the same table). A GNU parallel user's first commands work
# unchanged, and an unknown brace string is an error naming it.
source "$(dirname "$0")/lib.sh"
if ! command -v parallel >/dev/null; then
    echo "SKIP: GNU parallel is not installed (scripts/install-deps.sh installs it)"
    exit 0
fi
# --dry-run needs one rank only: run as an MPI singleton (no mpirun), which starts faster.
dry() { timeout -k 5 60 "$TASKFARM" run --dry-run "$@" 2>err.txt; }

printf '%s\n' 'photos/a.jpg' 'photos/2024/b c.JPG' 'x.tar.gz' 'plain' >files.txt
for tmpl in 'convert {} {.}.png' 'gzip {}' 'echo {/} {//} {/.}' 'mv {} {.}.bak' 'echo {#} {}' \
            'cp {} out/{/.}.png' 'echo {1} {1.} {1/} {1//} {1/.}'; do
    expect_eq "taskfarm --template '$tmpl' files.txt" "$(parallel --dry-run -k -a files.txt "$tmpl")" \
        "$(dry --template "$tmpl" files.txt)"
done
for tmpl in 'echo {1} {2}' 'echo {}' 'echo {2/.}-{1}'; do
    expect_eq "taskfarm --template '$tmpl' ::: ... ::: ..." \
        "$(parallel --dry-run -k "$tmpl" ::: a/x.c 'b y.d' ::: 1 2.5)" \
        "$(dry --template "$tmpl" ::: a/x.c 'b y.d' ::: 1 2.5)"
done
printf 'a,b.txt\nc/d.e,f\n' >table.csv
expect_eq "columns with --colsep ," "$(parallel --dry-run -k --colsep , -a table.csv 'echo {2.} {1/} {}')" \
    "$(dry --template 'echo {2.} {1/} {}' --colsep , table.csv)"
printf 'name,size\nrun1,10\nrun 2,20\n' >header.csv
expect_eq "header names" "$(parallel --dry-run -k --colsep , --header : -a header.csv 'sim --n {name} -s {size} {#}')" \
    "$(dry --template 'sim --n {name} -s {size} {#}' header.csv)"

# {%} is the slot, known where the task runs: every task sees its own as {%} and $PARALLEL_JOBSLOT.
timeout -k 5 60 mpirun -n "$NP" --oversubscribe "$TASKFARM" run -j 2 --template 'echo {#} {%} $PARALLEL_JOBSLOT' \
    ::: a b c d e f >out.txt 2>err.txt
expect_eq "slot run" 0 "$?"
bad=$(awk '$2 != $3 || $2 < 1 || $2 > 2 * np' np="$NP" out.txt)
expect_eq "slots are 1..slots and {%} = \$PARALLEL_JOBSLOT" "" "$bad"
expect_eq "every task ran" 6 "$(wc -l <out.txt)"

# Unknown brace strings are errors; shell braces stay.
for s in '{1x}' '{-1}' '{+/}' '{0}' '{=s/a/b/=}'; do
    dry --template "echo $s" files.txt >out.txt
    expect_eq "exit status for $s" 255 "$?"
    expect_grep err.txt "unknown replacement string $s"
done
expect_eq "shell braces stay" "awk '{print \$1}' photos/a.jpg \${HOME} {a,b}" \
    "$(dry --template "awk '{print \$1}' {} \${HOME} {a,b}" files.txt | head -n 1)"
finish
