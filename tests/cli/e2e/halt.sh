# --halt with GNU parallel's meanings, on one rank with two threads (both tasks on the root, so
# which one runs where is fixed). now: the failure kills the running task at once, exit status
# the failed task's; soon: the running task finishes; --halt-on-error after a failure on the
# root starts nothing more. Each fault happens at a point the tasks set with marker files.
source "$(dirname "$0")/lib.sh"

# now,fail=1: task 1 fails once task 2 is running; task 2 would run 30 s and leave a file.
{
    echo "while [ ! -f $WORK/b_started ]; do sleep 0.05; done; exit 3"
    echo "touch $WORK/b_started; [ -f $WORK/resuming ] || sleep 30; touch $WORK/b_finished"
    for n in 3 4 5 6; do echo "echo $n >> $WORK/marker"; done
} >tasks.txt
tf run -j 2 --joblog now.log --halt now,fail=1 tasks.txt
expect_eq "now,fail=1 exit status is the failed task's" 3 "$RC"
[ -f b_finished ] && fail "--halt now let the running task finish"
[ -f marker ] && fail "--halt now started tasks after the failure: $(cat marker)"
expect_eq "only the failed task is logged" "1" "$(joblog_rows now.log | cut -f1 | tr '\n' ' ' | sed 's/ $//')"
expect_grep err.txt "--halt now,fail=1 holds: starting no new task; killing the running ones"
touch resuming
tf run -j 2 --joblog now.log --resume tasks.txt
expect_eq "resume after --halt now runs the killed and the unstarted tasks" 0 "$RC"
expect_eq "joblog complete" 6 "$(joblog_rows now.log | wc -l)"

# soon,fail=1: the running task finishes and is logged.
rm -f b_started b_finished marker resuming
{
    echo "while [ ! -f $WORK/b_started ]; do sleep 0.05; done; exit 4"
    echo "touch $WORK/b_started; sleep 0.3; touch $WORK/b_finished"
    for n in 3 4 5 6; do echo "echo $n >> $WORK/marker"; done
} >tasks.txt
tf run -j 2 --joblog soon.log --halt soon,fail=1 tasks.txt
expect_eq "soon,fail=1 exit status is the failed task's" 4 "$RC"
[ -f b_finished ] || fail "--halt soon killed the running task"
expect_eq "both started tasks are logged" "1 2" "$(joblog_rows soon.log | cut -f1 | sort -n | tr '\n' ' ' | sed 's/ $//')"

# --halt-on-error with one slot on the root: nothing starts after the failure.
rm -f marker
{ echo "exit 1"; for n in 2 3 4 5; do echo "echo $n >> $WORK/marker"; done; } >tasks.txt
tf run -j 1 --halt-on-error tasks.txt
expect_eq "--halt-on-error exit status" 1 "$RC"
[ -f marker ] && fail "--halt-on-error started a task after the root's failure: $(cat marker)"

# success=1: the first success halts, status 0.
{ echo "exit 2"; echo "true"; for n in 3 4 5; do echo "echo $n >> $WORK/marker2"; done; } >tasks.txt
tf run -j 1 --halt soon,success=1 tasks.txt
expect_eq "soon,success=1 exit status" 0 "$RC"
[ -f marker2 ] && fail "--halt soon,success=1 went on after the success"

# The option is never guessed to be --halt-on-error.
tf run --halt now,fail=1 --dry-run tasks.txt
expect_eq "--halt parses" 0 "$RC"
finish
