// xapian-raw: raw Xapian 1.4, configured out of the box, as a ranking and
// latency baseline for cybersearch.  Benchmark tool, not part of the product.
//
//   xapian-raw index [--no-text] DB INPUT
//   xapian-raw search DB [--trec RUN] [--limit N] [--snippets]
//                        [--latency FILE] QUERYFILE
//   xapian-raw --version
//
// INPUT holds records "id NUL text NUL"; QUERYFILE holds "qid TAB query"
// lines.  See peers/README.md for why each setting is what it is.

#include <xapian.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <dirent.h>
#include <unistd.h>

namespace {

const char *const USAGE =
    "usage: xapian-raw index [--no-text] DB INPUT\n"
    "       xapian-raw search DB [--trec RUN] [--limit N] [--snippets]\n"
    "                            [--latency FILE] QUERYFILE\n"
    "       xapian-raw --version\n";

// Exit status 2 = bad usage or malformed input, 1 = runtime failure.
[[noreturn]] void die_usage(const std::string &why)
{
    std::cerr << "xapian-raw: " << why << "\n" << USAGE;
    std::exit(2);
}

[[noreturn]] void die_input(const std::string &why)
{
    std::cerr << "xapian-raw: " << why << "\n";
    std::exit(2);
}

double seconds_since(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string read_whole_file(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        die_input("cannot open " + path + ": " + std::strerror(errno));
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in.bad())
        die_input("cannot read " + path);
    return buf.str();
}

// Remove the database folder @path (glass keeps only plain files in it).
void remove_database(const std::string &path)
{
    DIR *dir = opendir(path.c_str());
    if (!dir)
        return;
    while (const struct dirent *entry = readdir(dir))
        if (std::strcmp(entry->d_name, ".") && std::strcmp(entry->d_name, ".."))
            unlink((path + "/" + entry->d_name).c_str());
    closedir(dir);
    if (rmdir(path.c_str()) != 0)
        die_input("cannot remove " + path + ": " + std::strerror(errno));
}

// A bulk load as Xapian's documentation recommends: add_document() with the
// default auto-flush threshold, one commit(), then compaction into DB (the
// database a search opens is the compacted one; the time includes it).
// With @store_text the document data is the passage's text (what --snippets
// needs, and what cybersearch's index stores); without, no data at all.
int index_records(const std::string &db_path, const std::string &input_path, bool store_text)
{
    const std::string input = read_whole_file(input_path);
    auto start = std::chrono::steady_clock::now();

    const std::string build_path = db_path + ".uncompacted";
    remove_database(db_path);  // overwrite, as DB_CREATE_OR_OVERWRITE would
    Xapian::WritableDatabase db(build_path, Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::TermGenerator indexer;
    indexer.set_stemmer(Xapian::Stem("en"));  // everything else default

    size_t pos = 0, record = 0;
    while (pos < input.size()) {
        ++record;
        size_t id_end = input.find('\0', pos);
        if (id_end == std::string::npos)
            die_input(input_path + ": record " + std::to_string(record) +
                      ": id is not NUL-terminated (expected 'id NUL text NUL')");
        size_t text_end = input.find('\0', id_end + 1);
        if (text_end == std::string::npos)
            die_input(input_path + ": record " + std::to_string(record) +
                      ": text is not NUL-terminated (expected 'id NUL text NUL')");
        if (id_end == pos)
            die_input(input_path + ": record " + std::to_string(record) + ": empty id");
        std::string text = input.substr(id_end + 1, text_end - id_end - 1);

        Xapian::Document doc;
        if (store_text)
            doc.set_data(text);
        indexer.set_document(doc);
        indexer.index_text(text);
        doc.add_boolean_term("Q" + input.substr(pos, id_end - pos));
        db.add_document(doc);  // ids are unique in the input: no lookup needed
        pos = text_end + 1;
    }
    db.commit();
    db.close();
    double indexed = seconds_since(start);
    // xapian-compact's default level (FULL)
    Xapian::Database(build_path).compact(db_path, Xapian::Compactor::FULL);
    remove_database(build_path);
    std::printf("xapian-raw: indexed %zu docs in %.3f s (%.3f s of it compacting), text %s\n",
                record, seconds_since(start), seconds_since(start) - indexed,
                store_text ? "stored" : "not stored");
    return 0;
}

// The external id lives in the "Q" term; TermGenerator only emits lower-case
// terms and "Z"-prefixed stems, so the first term >= "Q" is the id term.
std::string external_id(const Xapian::Document &doc)
{
    Xapian::TermIterator t = doc.termlist_begin();
    t.skip_to("Q");
    if (t == doc.termlist_end() || (*t).empty() || (*t)[0] != 'Q')
        return "?";
    return (*t).substr(1);
}

struct SearchOptions {
    std::string db_path, query_path, run_name = "xapian-raw", latency_path;
    Xapian::doccount limit = 1000;
    bool snippets = false;
};

Xapian::doccount parse_limit(const char *text)
{
    char *end;
    errno = 0;
    long value = std::strtol(text, &end, 10);
    if (errno || *end || end == text || value < 1 || value > 100000000)
        die_usage(std::string("--limit wants a positive integer, got '") + text + "'");
    return static_cast<Xapian::doccount>(value);
}

SearchOptions parse_search_args(int argc, char **argv)
{
    SearchOptions opt;
    int positional = 0;
    for (int i = 2; i < argc; ++i) {
        std::string arg = argv[i];
        auto value = [&]() -> const char * {
            if (i + 1 >= argc)
                die_usage(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--trec")
            opt.run_name = value();
        else if (arg == "--limit")
            opt.limit = parse_limit(value());
        else if (arg == "--snippets")
            opt.snippets = true;
        else if (arg == "--latency")
            opt.latency_path = value();
        else if (arg.size() > 1 && arg[0] == '-')
            die_usage("unknown option " + arg);
        else if (positional == 0)
            opt.db_path = arg, ++positional;
        else if (positional == 1)
            opt.query_path = arg, ++positional;
        else
            die_usage("too many arguments");
    }
    if (positional != 2)
        die_usage("search needs DB and QUERYFILE");
    if (opt.run_name.empty() || opt.run_name.find_first_of(" \t\n") != std::string::npos)
        die_usage("--trec RUN must be one non-empty word");
    return opt;
}

int search_queries(const SearchOptions &opt)
{
    std::ifstream queries(opt.query_path);
    if (!queries)
        die_input("cannot open " + opt.query_path + ": " + std::strerror(errno));
    std::FILE *latency = nullptr;
    if (!opt.latency_path.empty() && !(latency = std::fopen(opt.latency_path.c_str(), "w")))
        die_input("cannot write " + opt.latency_path + ": " + std::strerror(errno));

    Xapian::Database db(opt.db_path);
    Xapian::Enquire enquire(db);  // BM25Weight with default parameters
    Xapian::QueryParser parser;
    const Xapian::Stem stemmer("en");
    parser.set_stemmer(stemmer);
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    parser.set_default_op(Xapian::Query::OP_OR);

    std::string line;
    size_t line_no = 0, query_count = 0, snippet_bytes = 0;
    auto batch_start = std::chrono::steady_clock::now();
    while (std::getline(queries, line)) {
        ++line_no;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty())
            continue;
        size_t tab = line.find('\t');
        if (tab == std::string::npos || tab == 0)
            die_input(opt.query_path + ":" + std::to_string(line_no) +
                      ": expected 'qid<TAB>query'");
        const std::string qid = line.substr(0, tab);
        if (qid.find_first_of(" \t") != std::string::npos)
            die_input(opt.query_path + ":" + std::to_string(line_no) + ": qid contains blanks");
        // Lower-cased so that AND/OR/NOT in the text are words, not operators.
        const std::string text = Xapian::Unicode::tolower(line.substr(tab + 1));

        auto start = std::chrono::steady_clock::now();
        enquire.set_query(parser.parse_query(text, Xapian::QueryParser::FLAG_DEFAULT));
        Xapian::MSet hits = enquire.get_mset(0, opt.limit);
        std::string out;
        Xapian::doccount rank = 0;
        for (Xapian::MSetIterator hit = hits.begin(); hit != hits.end(); ++hit) {
            Xapian::Document doc = hit.get_document();
            if (opt.snippets)
                snippet_bytes += hits.snippet(doc.get_data(), 200, stemmer).size();
            char score[64];
            std::snprintf(score, sizeof score, " %u %.9g ", ++rank, hit.get_weight());
            out += qid + " Q0 " + external_id(doc) + score + opt.run_name + "\n";
        }
        double usec = seconds_since(start) * 1e6;
        ++query_count;
        std::fputs(out.c_str(), stdout);
        if (latency)
            std::fprintf(latency, "%s\t%.0f\n", qid.c_str(), usec);
    }
    if (queries.bad())
        die_input("error reading " + opt.query_path);
    if (latency && std::fclose(latency) != 0)
        die_input("error writing " + opt.latency_path);
    if (std::fflush(stdout) != 0)
        return 1;
    std::fprintf(stderr, "xapian-raw: %zu queries in %.3f s%s\n", query_count,
                 seconds_since(batch_start),
                 opt.snippets ? (", " + std::to_string(snippet_bytes) + " snippet bytes").c_str() : "");
    return 0;
}

}  // namespace

int main(int argc, char **argv)
{
    if (argc == 2 && std::string(argv[1]) == "--version") {
        std::printf("xapian-raw (Xapian %s)\n", Xapian::version_string());
        return 0;
    }
    if (argc < 2)
        die_usage("missing mode");
    const std::string mode = argv[1];
    try {
        if (mode == "index") {
            bool store_text = !(argc == 5 && std::string(argv[2]) == "--no-text");
            if (argc != 4 + !store_text)
                die_usage("index needs DB and INPUT");
            return index_records(argv[argc - 2], argv[argc - 1], store_text);
        }
        if (mode == "search")
            return search_queries(parse_search_args(argc, argv));
    } catch (const Xapian::Error &e) {
        std::cerr << "xapian-raw: " << e.get_description() << "\n";
        return 1;
    }
    die_usage("unknown mode '" + mode + "'");
}
