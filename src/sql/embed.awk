# Turns the SQL files named on the command line into one C array,
# so the schema travels inside the binary.
BEGIN {
    print "/* Generated from the files of src/sql by src/sql/embed.awk; do not edit. */"
    print "#include \"sqlfiles.h\""
    print "const struct sql_file sql_files[] = {"
    first = 1
}
FNR == 1 {
    if (!first) print "    },"
    first = 0
    name = FILENAME; sub(/.*\//, "", name)
    printf "    { \"%s\",\n", name
}
# Escapes for a C string, one character at a time (gsub treats backslashes
# differently in mawk and gawk).
function esc(s,    out, i, c) {
    out = ""
    for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (c == "\\") out = out "\\\\"
        else if (c == "\"") out = out "\\\""
        else if (c == "\t") out = out "\\t"
        else out = out c
    }
    return out
}
{
    printf "      \"%s\\n\"\n", esc($0)
}
END {
    if (!first) print "    },"
    print "    { 0, 0 }"
    print "};"
}
