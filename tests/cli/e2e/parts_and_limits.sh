# --part K/N (job arrays): the parts run disjoint tasks under the whole file's numbers and add up
# to the whole run; --max-output keeps a task's head and tail and says so; --joblog-fsync logs the
# same lines.
source "$(dirname "$0")/lib.sh"

# 10 tasks, one a line (task numbers are line numbers; gnu_joblog_interchange.sh has comments).
for n in $(seq 1 10); do
    echo "echo task \$TASKFARM_TASK >>$WORK/marker; echo out-$n"
done >tasks.txt

for k in 1 2 3; do
    tf run --part "$k/3" --joblog "part$k.log" --output-dir out --joblog-fsync tasks.txt
    expect_eq "part $k/3 exit status" 0 "$RC"
    expect_grep err.txt "of part $k/3 on"
done
expect_eq "part 1/3 ran 1, 4, 7, 10" "1 4 7 10" "$(joblog_rows part1.log | cut -f1 | sort -n | xargs)"
expect_eq "part 2/3 ran 2, 5, 8" "2 5 8" "$(joblog_rows part2.log | cut -f1 | sort -n | xargs)"
expect_eq "part 3/3 ran 3, 6, 9" "3 6 9" "$(joblog_rows part3.log | cut -f1 | sort -n | xargs)"
expect_eq "each task ran once, as itself" "$(seq 1 10 | sed 's/^/task /')" "$(sort -k2n marker)"
for n in $(seq 1 10); do expect_eq "task $n output file" "out-$n" "$(cat "out/$n.out")"; done

# The parts' joblogs put together are the whole run's: a --resume over the whole file runs nothing.
{ head -n 1 part1.log; tail -q -n +2 part1.log part2.log part3.log; } >whole.log
tf run --joblog whole.log --resume tasks.txt
expect_eq "resume over the merged joblog" 0 "$RC"
expect_grep err.txt "nothing to do: all 10 tasks are done according to whole.log"
# Resuming a part that is done, and a part with no task at all, are not errors.
tf run --part 2/3 --joblog part2.log --resume tasks.txt
expect_grep err.txt "nothing to do: all 3 tasks of part 2/3 are done"
tf run --part 12/12 tasks.txt
expect_eq "empty part exit status" 0 "$RC"
expect_grep err.txt "nothing to do: part 12/12 has no tasks (tasks.txt has 10 tasks)"
tf run --part 4/3 tasks.txt
expect_eq "bad --part exit status" 255 "$RC"
expect_grep err.txt "--part wants K/N with 1 <= K <= N"
expect_eq "no task ran again" 10 "$(wc -l <marker)"

# --max-output: 200 KB printed, 1 KiB kept (the first and last 512 bytes), a note in its stderr.
echo "seq 1 40000; echo done >&2" >big.txt
tf run --max-output 1K --output-dir big big.txt
expect_eq "max-output exit status" 0 "$RC"
expect_eq "kept bytes" 1024 "$(wc -c <big/1.out)"
expect_eq "head kept" "$(seq 1 40000 | head -c 512)" "$(head -c 512 big/1.out)"
expect_eq "tail kept" "$(seq 1 40000 | tail -c 512)" "$(tail -c 512 big/1.out)"
expect_eq "note in stderr" "done
taskfarm: stdout truncated by --max-output: $(seq 1 40000 | wc -c) bytes, kept the first 512 and the last 512" \
    "$(cat big/1.err)"

finish
