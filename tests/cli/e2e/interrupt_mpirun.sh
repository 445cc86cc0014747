# Ctrl-C (SIGINT) to mpirun, Open MPI 4.1: mpirun sets its own exit status to 1 before it stops
# the job (no rank can change it), sends the ranks SIGTERM and SIGKILLs them a second later. The
# root says so at once on stderr (the status is 1, not 102; SIGUSR1 gives 102), no task starts
# after the signal, and the commands in flight outlive their rank under the command guardian:
# SIGTERM after --grace (1 s here), SIGKILL 2 s later (these commands trap SIGTERM and go on).
# --resume then runs every task, each once. The signal comes once the tasks are known to run
# (the started file), and the tasks end only when the test says so.
source "$(dirname "$0")/lib.sh"

for n in $(seq 1 10); do
    echo "echo $n >> $WORK/started; trap 'echo $n >> $WORK/termed' TERM; while [ ! -f $WORK/finish ]; do sleep 0.05; done; echo $n >> $WORK/done"
done >tasks.txt
tf_background run --grace 1 --joblog run.log tasks.txt
wait_for_lines started "$NP" 60 || fail "the first tasks never started"
ranks=$(pgrep -P "$PID")
kill -INT "$PID"
tf_wait
expect_eq "mpirun's exit status after Ctrl-C (Open MPI's own, see docs/CLI.md)" 1 "$RC"
expect_grep err.txt "mpirun is stopping the job (it got SIGINT or SIGTERM): Open MPI exits with status 1, not 102"
expect_grep err.txt "send mpirun SIGUSR1"
# shellcheck disable=SC2086
wait_gone 30 $ranks || fail "ranks still running 30 s after mpirun ended"
wait_no_match 30 "$WORK/started" || fail "commands still running 30 s after their ranks ended"
expect_eq "no task started after the signal" "$NP" "$(wc -l <started)"
expect_eq "every command in flight got SIGTERM" "$(sort -n started | tr '\n' ' ')" "$(sort -n termed | tr '\n' ' ')"
expect_eq "no command in flight finished" "" "$(cat done 2>/dev/null)"
expect_eq "nothing finished, nothing logged" "" "$(joblog_rows run.log)"

touch finish
tf run --joblog run.log --resume tasks.txt
expect_eq "resume exit status" 0 "$RC"
[ "$RC" = 0 ] || cat err.txt >&2
expect_eq "joblog rows" 10 "$(joblog_rows run.log | wc -l)"
expect_eq "every task ran once" "$(seq 1 10 | tr '\n' ' ')" "$(sort -n done | tr '\n' ' ')"
finish
