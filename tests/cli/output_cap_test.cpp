#include <gtest/gtest.h>

#include <string>

#include "results/output_cap.hpp"

namespace taskfarm::cli {
namespace {

/// "0123456789012..." of `n` bytes: every byte says where it was in the stream.
std::string numbered(std::size_t n, std::size_t from = 0) {
    std::string text;
    for (std::size_t i = from; i < from + n; ++i) text += static_cast<char>('0' + i % 10);
    return text;
}

/// Appends `text` in pieces of `piece` bytes, as reads from a pipe would.
void feed(CappedOutput& output, std::string const& text, std::size_t piece) {
    for (std::size_t at = 0; at < text.size(); at += piece)
        output.append(text.data() + at, std::min(piece, text.size() - at));
}

TEST(CappedOutput, KeepsEverythingUpToTheCap) {
    for (std::size_t piece : {1u, 3u, 100u}) {
        CappedOutput output(100);
        feed(output, numbered(100), piece);
        EXPECT_EQ(output.dropped(), 0u);
        EXPECT_EQ(truncation_note("stdout", output), "");
        EXPECT_EQ(output.take(), numbered(100)) << "pieces of " << piece;
    }
}

TEST(CappedOutput, BeyondTheCapKeepsTheFirstAndTheLastHalf) {
    std::string const stream = numbered(1000) + "the end";
    // Pieces smaller than the tail, straddling its wrap, and larger than the whole cap.
    for (std::size_t piece : {1u, 7u, 33u, 500u, 5000u}) {
        CappedOutput output(101);
        feed(output, stream, piece);
        EXPECT_EQ(output.total(), stream.size());
        EXPECT_EQ(output.dropped(), stream.size() - 101);
        EXPECT_EQ(output.head_size(), 51u);
        EXPECT_EQ(output.tail_size(), 50u);
        EXPECT_EQ(output.take(), stream.substr(0, 51) + stream.substr(stream.size() - 50)) << "pieces of " << piece;
    }
}

TEST(CappedOutput, NoCapKeepsEverything) {
    CappedOutput output;
    std::string const stream = numbered(100000);
    feed(output, stream, 4096);
    EXPECT_EQ(output.dropped(), 0u);
    EXPECT_EQ(output.take(), stream);
}

TEST(CappedOutput, ACapOfOneKeepsTheFirstByte) {
    CappedOutput output(1);
    feed(output, "abc", 1);
    EXPECT_EQ(output.take(), "a");
}

TEST(CappedOutput, TheNoteSaysWhatWasKept) {
    CappedOutput output(10);
    feed(output, numbered(25), 4);
    EXPECT_EQ(truncation_note("stderr", output),
              "taskfarm: stderr truncated by --max-output: 25 bytes, kept the first 5 and the last 5\n");
}

}  // namespace
}  // namespace taskfarm::cli
