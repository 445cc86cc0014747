# SIGUSR1 to mpirun (forwarded to every rank; what SLURM's --signal=B:USR1 gets to the job):
# no new task starts, running ones finish within --grace, the joblog is complete, the exit
# status is 102, and --resume finishes the rest with no task run twice.
source "$(dirname "$0")/lib.sh"

for n in $(seq 1 16); do echo "echo $n >> $WORK/marker; sleep 0.5"; done >tasks.txt
tf_background run --joblog run.log --grace 30 tasks.txt
wait_for_lines run.log 3 60 || fail "no task finished in 60 s"
kill -USR1 "$PID"
tf_wait
expect_eq "interrupted exit status" 102 "$RC"
expect_grep err.txt "interrupted by SIGUSR1"
expect_grep err.txt "with --resume"
ran=$(sort -n marker | tr '\n' ' ')
logged=$(joblog_rows run.log | cut -f1 | sort -n | tr '\n' ' ')
expect_eq "every task that started finished and was logged" "$ran" "$logged"

tf run --joblog run.log --resume tasks.txt
expect_eq "resume exit status" 0 "$RC"
expect_eq "joblog rows" 16 "$(joblog_rows run.log | wc -l)"
expect_eq "no task ran twice" "" "$(sort marker | uniq -d)"
expect_eq "every task ran" 16 "$(wc -l <marker)"

finish
