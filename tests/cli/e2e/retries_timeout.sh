# --retries reruns failing commands; --timeout kills a task's whole process group.
source "$(dirname "$0")/lib.sh"

cat >tasks.txt <<TASKS
echo try >> $WORK/flaky; test \$TASKFARM_ATTEMPT -ge 3
echo try >> $WORK/broken; exit 5
echo fine
TASKS
tf run --joblog run.log --retries 3 tasks.txt
expect_eq "exit status (one task failed for good)" 1 "$RC"
expect_eq "flaky task attempts" 3 "$(wc -l <flaky)"
expect_eq "broken task attempts (1 + 3 retries)" 4 "$(wc -l <broken)"
expect_eq "flaky Exitval" 0 "$(joblog_field run.log 1 7)"
expect_eq "broken Exitval" 5 "$(joblog_field run.log 2 7)"
expect_eq "joblog rows (one per task, not per attempt)" 3 "$(joblog_rows run.log | wc -l)"
expect_grep err.txt "tasks.txt:2: task 2 failed on"
expect_grep err.txt "exit 5 after 4 attempts"

# --resume-failed reruns only the task whose last joblog line failed, and logs it again.
tf run --joblog run.log --resume-failed tasks.txt
expect_eq "resume-failed exit status" 1 "$RC"
expect_eq "flaky task not rerun" 3 "$(wc -l <flaky)"
expect_eq "broken task rerun once" 5 "$(wc -l <broken)"
expect_eq "joblog rows (a second line for task 2)" 4 "$(joblog_rows run.log | wc -l)"
expect_eq "Seqs logged twice" 2 "$(joblog_duplicates run.log)"

cat >slow.txt <<TASKS
(sleep 4; touch $WORK/survivor) & sleep 60
echo quick
TASKS
# Off a terminal (stderr is a file here) progress is a status line every --status-interval.
tf run --joblog slow.log --timeout 1 --status-interval 0.3 slow.txt
expect_eq "exit status (one timeout)" 1 "$RC"
expect_eq "timed-out Exitval" -1 "$(joblog_field slow.log 1 7)"
expect_eq "timed-out Signal (SIGTERM)" 15 "$(joblog_field slow.log 1 8)"
expect_eq "quick task Exitval" 0 "$(joblog_field slow.log 2 7)"
expect_grep err.txt "1 timed out (task 1)"
expect_grep err.txt "slow.txt:1: task 1 timed out on"
expect_grep err.txt "taskfarm:  50.0%  1/2 tasks"
sleep 4.5
[ -e survivor ] && fail "a background process of the timed-out task survived the timeout"

finish
