# --halt now on two ranks: the failure kills the running command on the other rank too (the
# root tells every rank over the CLI's own communicator), whichever rank runs which task. The
# long task blocks the slot it runs on; the failing one waits until it has started.
source "$(dirname "$0")/lib.sh"

for order in long_first fail_first; do
    rm -f b_started b_finished marker now.log
    long="touch $WORK/b_started; sleep 30; touch $WORK/b_finished"
    failing="while [ ! -f $WORK/b_started ]; do sleep 0.05; done; exit 3"
    if [ $order = long_first ]; then printf '%s\n%s\n' "$long" "$failing"; else printf '%s\n%s\n' "$failing" "$long"; fi >tasks.txt
    for n in 3 4 5 6; do echo "echo $n >> $WORK/marker"; done >>tasks.txt
    tf run --joblog now.log --halt now,fail=1 tasks.txt
    expect_eq "$order: exit status is the failed task's" 3 "$RC"
    [ -f b_finished ] && fail "$order: --halt now let the other rank's command finish"
    [ -f marker ] && fail "$order: tasks started after the halt: $(cat marker)"
    expect_eq "$order: only the failed task is logged" 1 "$(joblog_rows now.log | wc -l)"
done
finish
