# `kill -9` of the whole job mid-run, then --resume: no task is lost, and no task the joblog
# recorded runs again. Every task appends its number to a marker file when it starts.
source "$(dirname "$0")/lib.sh"

for n in $(seq 1 16); do echo "echo $n >> $WORK/marker; sleep 0.4; echo done-$n"; done >tasks.txt

tf_background run --joblog run.log --output-dir out tasks.txt
wait_for_lines run.log 5 60 || fail "the first run logged fewer than 4 tasks in 60 s"
kill -9 -- "-$PID"   # the whole process group: mpirun, every rank (tasks run in their own groups)
tf_wait 2>/dev/null
logged_before=$(joblog_rows run.log | cut -f1 | sort -n)
if [ "$(echo "$logged_before" | wc -l)" -ge 16 ]; then fail "the kill came too late to test anything"; fi
sleep 1  # let the orphaned tasks of the killed run end

tf run --joblog run.log --output-dir out --resume tasks.txt
expect_eq "resume exit status" 0 "$RC"
expect_eq "joblog rows after resume" 16 "$(joblog_rows run.log | wc -l)"
expect_eq "duplicate Seqs" "" "$(joblog_duplicates run.log)"
for n in $(seq 1 16); do
    runs=$(grep -cx "$n" marker)
    if [ "$runs" -lt 1 ]; then fail "task $n never ran"; fi
    if echo "$logged_before" | grep -qx "$n" && [ "$runs" -ne 1 ]; then
        fail "task $n was logged before the kill but ran $runs times"
    fi
    expect_eq "task $n Exitval" 0 "$(joblog_field run.log "$n" 7)"
    expect_eq "task $n output" "done-$n" "$(cat "out/$n.out")"
done
expect_grep err.txt "already done"

# Nothing left: a third run does nothing and succeeds.
tf run --joblog run.log --resume tasks.txt
expect_eq "nothing-to-do exit status" 0 "$RC"
expect_grep err.txt "nothing to do: all 16 tasks are done"

finish
