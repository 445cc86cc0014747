# Bad input gives a clear message naming the file, line and task; the other tasks still run.
source "$(dirname "$0")/lib.sh"

tf run missing.txt
expect_eq "missing file exit status" 255 "$RC"
expect_grep err.txt "taskfarm: missing.txt: cannot open: No such file or directory"

printf '# only a comment\n\n' >empty.txt
tf run empty.txt
expect_eq "empty file exit status" 255 "$RC"
expect_grep err.txt "empty.txt: no tasks"

mkdir adir
tf run adir
expect_eq "directory exit status" 255 "$RC"
expect_grep err.txt "adir: is a directory"

tf run --bogus-option tasks.txt
expect_eq "unknown option exit status" 255 "$RC"
expect_grep err.txt "bogus-option"

cat >tasks.txt <<'TASKS'
echo first
no-such-command-for-taskfarm --flag
sh -c 'kill -SEGV $$'
head -c 3000000 /dev/zero | tr '\0' x
echo last
TASKS
tf run --joblog run.log --output-dir out tasks.txt
expect_eq "exit status (two failures)" 2 "$RC"
expect_eq "not found Exitval" 127 "$(joblog_field run.log 2 7)"
expect_grep err.txt "tasks.txt:2: task 2 failed on"
expect_grep err.txt "exit 127 (command not found)"
expect_grep out/2.err "no-such-command-for-taskfarm"
expect_eq "segfault Signal" 11 "$(joblog_field run.log 3 8)"
expect_grep err.txt "tasks.txt:3: task 3 failed on"
expect_grep err.txt "(killed by SIGSEGV)"
expect_eq "3 MB without newline, whole" 3000000 "$(wc -c <out/4.out)"
expect_eq "no newline in it" 0 "$(tr -cd '\n' <out/4.out | wc -c)"
expect_eq "first" first "$(cat out/1.out)"
expect_eq "last" last "$(cat out/5.out)"
expect_eq "all logged" 5 "$(joblog_rows run.log | wc -l)"

printf 'a\t1\nb\nc\t3\n' >params.tsv
tf run --joblog t.log --template 'echo {1}-{2}' params.tsv
expect_eq "short row exit status" 1 "$RC"
expect_grep err.txt "params.tsv:2: task 2: template field {2} is missing: the row has 1 field"
expect_eq "short row logged as failed" 255 "$(joblog_field t.log 2 7)"
expect_eq "other rows ran" "$(printf 'a-1\nc-3')" "$(sort out.txt)"

tf run --template 'echo {nope}' params.tsv
expect_eq "unknown column exit status" 255 "$RC"
expect_grep err.txt "template field {nope} is not a column of the header"

finish
