# Every task's output and exit code reach the joblog and the outputs, whatever rank ran it.
source "$(dirname "$0")/lib.sh"

# 12 tasks; task N prints three lines on stdout and one on stderr, and exits N % 4 (0 for 4, 8, 12).
for n in $(seq 1 12); do
    echo "for i in a b c; do echo out-$n-\$i; done; echo err-$n >&2; exit $((n % 4))"
done >tasks.txt
printf '# a comment, then a blank line\n\n' >>tasks.txt

tf run --joblog run.log --output-dir out tasks.txt
expect_eq "exit status (failed tasks)" 9 "$RC"
expect_grep err.txt "3 succeeded, 9 failed (tasks 1, 2, 3, 5, 6, 7, 9, 10, 11)"
expect_eq "joblog header" "$(printf 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand')" "$(head -1 run.log)"
expect_eq "joblog rows" 12 "$(joblog_rows run.log | wc -l)"
expect_eq "duplicate Seqs" "" "$(joblog_duplicates run.log)"
for n in $(seq 1 12); do
    expect_eq "task $n Exitval" "$((n % 4))" "$(joblog_field run.log "$n" 7)"
    expect_eq "task $n Signal" 0 "$(joblog_field run.log "$n" 8)"
    expect_eq "task $n Command" "$(sed -n "${n}p" tasks.txt)" "$(joblog_field run.log "$n" 9)"
    expect_eq "task $n stdout" "$(printf 'out-%s-a\nout-%s-b\nout-%s-c' "$n" "$n" "$n")" "$(cat "out/$n.out")"
    expect_eq "task $n stderr" "err-$n" "$(cat "out/$n.err")"
done
# Starttime: epoch seconds with 3 decimals; JobRuntime: seconds with 3 decimals.
expect_eq "number formats" "" "$(joblog_rows run.log | awk -F'\t' '$3 !~ /^[0-9]+\.[0-9][0-9][0-9]$/ || $4 !~ /^ *[0-9]+\.[0-9][0-9][0-9]$/')"
expect_grep err.txt "tasks.txt:2: task 2 failed on"

# Without --output-dir: whole blocks on the root's stdout, never interleaved; --tag prefixes lines.
tf run --tag tasks.txt
expect_eq "tagged lines" 36 "$(grep -c $'^[0-9]*\tout-' out.txt)"
for n in $(seq 1 12); do
    expect_eq "task $n block" "$(printf '%s\tout-%s-a\n%s\tout-%s-b\n%s\tout-%s-c' "$n" "$n" "$n" "$n" "$n" "$n")" \
        "$(grep -A2 $"^$n"$'\tout-'"$n-a" out.txt)"
done
expect_grep err.txt "$(printf '7\terr-7')"

# A template over a CSV table with a header: fields are shell-quoted, {#} is the task number.
printf 'name,count\nalpha,1\n"two words",2\nit'"'"'s,3\n' >params.csv
tf run --joblog t.log --template 'printf "%s|%s|%s\n" {name} {2} {#}' params.csv
expect_eq "template exit status" 0 "$RC"
expect_eq "template outputs" "$(printf 'alpha|1|1\nit'"'"'s|3|3\ntwo words|2|2')" "$(sort out.txt)"
expect_eq "template command" "printf \"%s|%s|%s\\n\" 'two words' 2 2" "$(joblog_field t.log 2 9)"

finish
