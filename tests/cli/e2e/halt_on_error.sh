# --halt-on-error: the first failure stops new tasks; running ones finish and are logged; the
# tasks not run are not in the joblog, so --resume runs them.
source "$(dirname "$0")/lib.sh"

{
    echo "exit 1"
    for n in $(seq 2 21); do echo "echo $n >> $WORK/marker; sleep 0.3"; done
} >tasks.txt
tf run --joblog run.log --halt-on-error tasks.txt
expect_eq "exit status" 1 "$RC"
expect_eq "failed task logged" 1 "$(joblog_field run.log 1 7)"
expect_grep err.txt "--halt soon,fail=1 holds: starting no new task"
expect_grep err.txt "halted by --halt soon,fail=1"
ran=$(sort -n marker 2>/dev/null | tr '\n' ' ')
logged=$(joblog_rows run.log | cut -f1 | grep -vx 1 | sort -n | tr '\n' ' ')
expect_eq "tasks that ran are exactly the logged ones" "$ran" "$logged"
if [ "$(joblog_rows run.log | wc -l)" -ge 21 ]; then fail "every task ran despite --halt-on-error"; fi

tf run --joblog run.log --resume tasks.txt
expect_eq "resume exit status" 0 "$RC"
expect_eq "joblog rows after resume" 21 "$(joblog_rows run.log | wc -l)"
expect_eq "each task ran once" "" "$(sort marker | uniq -d)"
expect_eq "tasks run in all" 20 "$(wc -l <marker)"

finish
