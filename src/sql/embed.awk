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
{
    line = $0
    gsub(/\\/, "\\\\", line)
    gsub(/"/, "\\\"", line)
    gsub(/\t/, "\\t", line)
    printf "      \"%s\\n\"\n", line
}
END {
    if (!first) print "    },"
    print "    { 0, 0 }"
    print "};"
}
