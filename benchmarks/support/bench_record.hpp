/// @file
/// @brief One measurement as a line of JSON on stdout: `BENCH {"bench":"dispatch",...}`.
///
/// Every benchmark program (C++ and Python) prints the same format, so run.sh can collect all of
/// them into one file and tools/make_report.py can take medians without knowing who produced them.
/// String fields name the measurement (its group); numeric fields are its figures; "rep" numbers
/// the repetition.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace bench {

class Record {
public:
    explicit Record(std::string_view bench) { text("bench", bench); }

    Record& text(std::string_view key, std::string_view value) {
        field(key);
        body_ += '"';
        for (char c : value) {
            if (c == '"' || c == '\\') body_ += '\\';
            body_ += c;
        }
        body_ += '"';
        return *this;
    }

    Record& number(std::string_view key, double value) {
        field(key);
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.9g", value);
        body_ += buf;
        return *this;
    }

    /// Prints the record and flushes, so a run that dies later keeps what it measured.
    void print() const {
        std::printf("BENCH {%s}\n", body_.c_str());
        std::fflush(stdout);
    }

private:
    void field(std::string_view key) {
        if (!body_.empty()) body_ += ',';
        body_ += '"';
        body_ += key;
        body_ += "\":";
    }

    std::string body_;
};

}  // namespace bench
