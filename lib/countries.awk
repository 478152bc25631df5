# countries.awk - the C rows of lib/fields.c's country table from
# countries.tsv (code TAB name TAB aliases): { "RUS", "Russian Federation", "Russia" },
BEGIN { FS = "\t" }
/^#/ || NF < 2 { next }
{
    for (i = 1; i <= 3; i++) {
        gsub(/\\/, "\\\\", $i)
        gsub(/"/, "\\\"", $i)
    }
    printf "    { \"%s\", \"%s\", \"%s\" },\n", $1, $2, $3
}
