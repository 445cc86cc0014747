# kill -9 of mpirun: the ranks stop (the kernel's parent-death SIGTERM): no task starts after
# it, what finished is logged, the ranks exit, and --resume then runs the rest, every task once.
# (With Open MPI 4.1 the ranks end within a second of mpirun, their commands in flight with them:
# those are not logged and --resume runs them.)
source "$(dirname "$0")/lib.sh"

for n in $(seq 1 10); do
    echo "echo $n >> $WORK/started; while [ ! -f $WORK/go ]; do sleep 0.05; done; echo $n >> $WORK/done"
done >tasks.txt
tf_background run --grace 30 --joblog run.log tasks.txt
wait_for_lines started "$NP" 60 || fail "the first tasks never started"
kill -9 "$PID"
tf_wait
touch go  # the tasks in flight may now finish, if they outlived their launcher
for _ in $(seq 200); do  # up to 20 s for the orphaned ranks to finish and exit
    pgrep -f "$TASKFARM run --grace 30 --joblog run.log" >/dev/null || break
    sleep 0.1
done
pgrep -f "$TASKFARM run --grace 30 --joblog run.log" >/dev/null && fail "ranks still running after mpirun died"
expect_eq "no task started after mpirun died" "$NP" "$(wc -l <started)"
expect_eq "the logged tasks are exactly the finished ones" "$(sort -n done 2>/dev/null | tr '\n' ' ')" \
    "$(joblog_rows run.log | cut -f1 | sort -n | tr '\n' ' ')"

tf run --joblog run.log --resume tasks.txt
expect_eq "resume exit status" 0 "$RC"
[ "$RC" = 0 ] || cat err.txt >&2
expect_eq "every task ran once" "$(seq 1 10 | tr '\n' ' ')" "$(sort -n done | tr '\n' ' ')"
finish
