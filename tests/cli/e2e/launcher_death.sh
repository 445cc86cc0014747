# kill -9 of mpirun: the ranks stop (the kernel's parent-death SIGTERM), no task starts after it,
# and Open MPI ends the ranks about a second later. The commands in flight outlive their ranks
# under the command guardian for --grace (here 60 s): they finish and write their files, but
# their ranks are gone, so they are not logged and --resume runs them again; every other task
# runs once. No verdict depends on timing: the commands finish only when the test says so
# (the go file), after the ranks have ended.
source "$(dirname "$0")/lib.sh"

for n in $(seq 1 10); do
    echo "echo $n >> $WORK/started; while [ ! -f $WORK/go ]; do sleep 0.05; done; echo $n >> $WORK/done"
done >tasks.txt
tf_background run --grace 60 --joblog run.log tasks.txt
wait_for_lines started "$NP" 60 || fail "the first tasks never started"
ranks=$(pgrep -P "$PID")  # mpirun's children: the ranks (each guardian is a rank's child)
kill -9 "$PID"
tf_wait
# shellcheck disable=SC2086
wait_gone 30 $ranks || fail "ranks still running 30 s after mpirun died"
expect_eq "no task started after mpirun died" "$NP" "$(wc -l <started)"
in_flight=$(sort -n started | tr '\n' ' ')

touch go  # the commands in flight may finish now: their --grace has 60 s to run
wait_for_lines done "$NP" 30 || fail "the commands in flight did not outlive their ranks (--grace 60)"
expect_eq "the commands in flight finished after their ranks ended" "$in_flight" "$(sort -n done | tr '\n' ' ')"
expect_eq "nothing finished while the ranks lived, so nothing is logged" "" "$(joblog_rows run.log)"
wait_no_match 30 "$TASKFARM run --grace 60" || fail "a command guardian outlived its commands"

tf run --joblog run.log --resume tasks.txt
expect_eq "resume exit status" 0 "$RC"
[ "$RC" = 0 ] || cat err.txt >&2
expect_eq "joblog rows" 10 "$(joblog_rows run.log | wc -l)"
expect_eq "no task logged twice" "" "$(joblog_duplicates run.log)"
expect_eq "every task finished" "$(seq 1 10 | tr '\n' ' ')" "$(sort -nu done | tr '\n' ' ')"
expect_eq "the tasks run twice are the unlogged ones in flight" "$in_flight" "$(sort -n done | uniq -d | tr '\n' ' ')"
finish
