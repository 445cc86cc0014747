# Joblogs written by GNU parallel resume with taskfarm and the other way round, on a task file
# with comments and blank lines (GNU parallel numbers every line as a job; so does taskfarm).
# Each run is cut short at a point the test sets: the first attempt of one task fails, and
# --halt soon,fail=1 stops the run there. The resumed run does the rest: every real task runs
# exactly once in all, none is skipped.
source "$(dirname "$0")/lib.sh"
if ! command -v parallel >/dev/null; then
    echo "SKIP: GNU parallel is not installed (scripts/install-deps.sh installs it)"
    exit 0
fi
make_tasks() {  # make_tasks FAILING_LINE: a task file whose task on that line fails once
    {
        echo "# a comment"
        echo "echo A >> $WORK/marker"
        echo ""
        echo "   "
        for t in B C D E F G; do
            if [ "$t" = "$1" ]; then
                echo "test -f $WORK/failed_once || { touch $WORK/failed_once; exit 1; }; echo $t >> $WORK/marker"
            else
                echo "echo $t >> $WORK/marker"
            fi
            echo "# between"
        done
    } >tasks.txt
}
check_all_once() {  # check_all_once WHAT
    expect_eq "$1: every task ran once" "A B C D E F G" "$(sort marker | tr '\n' ' ' | sed 's/ $//')"
}

# GNU parallel first, taskfarm resumes.
make_tasks D
timeout -k 5 60 parallel -j1 --halt soon,fail=1 --joblog gnu.log <tasks.txt >/dev/null 2>&1
expect_eq "GNU parallel halted" 1 "$?"
tf run --joblog gnu.log --resume-failed tasks.txt
expect_eq "taskfarm resuming GNU's joblog" 0 "$RC"
check_all_once "GNU parallel then taskfarm"
if grep -q warning err.txt; then fail "warnings resuming GNU's joblog: $(cat err.txt)"; fi

# taskfarm first, GNU parallel resumes.
rm -f marker failed_once
make_tasks C
tf run --joblog tf.log --halt soon,fail=1 tasks.txt
expect_eq "taskfarm halted with the task's status" 1 "$RC"
timeout -k 5 60 parallel -j1 --joblog tf.log --resume-failed <tasks.txt >/dev/null 2>gnu_err.txt
expect_eq "GNU parallel resuming taskfarm's joblog" 0 "$?"
check_all_once "taskfarm then GNU parallel"
expect_eq "the failed line is logged twice, by each tool" 2 "$(joblog_rows tf.log | awk -F'\t' '$9 ~ /failed_once/' | wc -l)"
finish
