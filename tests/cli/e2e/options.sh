# Options GNU parallel users expect: bad numbers refused with a message, an over-long command
# refused up front, --dry-run leaving the joblog alone, -k, --delay, --csv/--tsv/--colsep.
source "$(dirname "$0")/lib.sh"

echo "echo hi >> $WORK/marker" >tasks.txt
for bad in "--retries -1" "--retries -3" "--timeout nan" "--timeout inf" "--timeout -1" "--grace 1e999" \
           "--threads 99999999999" "--delay -1" "--halt now,fail=x"; do
    # shellcheck disable=SC2086  # options are checked before MPI starts: no mpirun needed
    "$TASKFARM" run $bad tasks.txt >out.txt 2>err.txt
    RC=$?
    expect_eq "exit status for $bad" 255 "$RC"
    expect_grep err.txt "${bad%% *} wants"
done
[ -f marker ] && fail "a refused run ran a task"

dry_run() { timeout -k 5 60 "$TASKFARM" run --dry-run "$@" >out.txt 2>err.txt; RC=$?; }

# A command over the kernel's per-argument limit stops the run before it starts.
{ echo "echo ok >> $WORK/marker"; printf 'echo %0140000d\n' 0; } >long.txt
tf run long.txt
expect_eq "over-long command exit status" 255 "$RC"
expect_grep err.txt "long.txt:2: task 2: the command is 140005 bytes, over the kernel's limit of 131071 bytes"
expect_grep err.txt "MAX_ARG_STRLEN"
[ -f marker ] && fail "a task ran although the run was refused"

# --dry-run prints and runs nothing; the joblog stays as it was.
printf 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n1\th\t1.000\t     1.000\t0\t0\t0\t0\techo hi >> %s/marker\n' "$WORK" >kept.log
cp kept.log before.log
{ echo "echo hi >> $WORK/marker"; echo "echo two"; } >tasks.txt
dry_run --joblog kept.log --resume tasks.txt
expect_eq "dry-run exit status" 0 "$RC"
expect_eq "dry-run prints what --resume would run" "echo two" "$(cat out.txt)"
cmp -s kept.log before.log || fail "--dry-run changed the joblog"
[ -f marker ] && fail "--dry-run ran a task"

# -k: output in task order although task 1 ends last (it waits for task 3's file).
{
    echo "while [ ! -f $WORK/three ]; do sleep 0.05; done; echo 1"
    echo "echo 2"
    echo "touch $WORK/three; echo 3"
} >order.txt
tf run -j 2 -k order.txt
expect_eq "-k exit status" 0 "$RC"
expect_eq "-k output order" "1 2 3" "$(tr '\n' ' ' <out.txt | sed 's/ $//')"

# --delay: starts at least that far apart (a lower bound the delay itself guarantees).
tf run -j 2 --delay 0.3 --joblog delay.log --template 'true {}' ::: a b c
expect_eq "--delay exit status" 0 "$RC"
gaps=$(joblog_rows delay.log | cut -f3 | sort -n | awk 'NR > 1 && $1 - prev < 0.29 { print $1 - prev } { prev = $1 }')
expect_eq "no two starts closer than --delay" "" "$gaps"

# A quoted tab in a CSV's first row keeps it CSV; --tsv and --colsep say otherwise.
printf '"a\tb",c\nd,e\n' >quoted.csv
dry_run --template 'echo {2}' quoted.csv
expect_eq "detected CSV" "$(printf 'echo c\necho e')" "$(cat out.txt)"
dry_run --tsv --template 'echo {1}' quoted.csv
expect_eq "--tsv: the quote is text" "$(printf "echo '\"a'\necho d,e")" "$(cat out.txt)"
printf 'a;b\n' >semi.txt
dry_run --colsep ';' --template 'echo {2} {1}' semi.txt
expect_eq "--colsep" "echo b a" "$(cat out.txt)"
finish
