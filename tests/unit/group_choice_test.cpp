// The hierarchy's automatic choice (engine/group_choice.hpp): when a farm forms groups, and which
// group each rank joins, without MPI.
#include <gtest/gtest.h>

#include <set>

#include "engine/group_choice.hpp"

using namespace taskfarm::detail;
using taskfarm::Options;

TEST(GroupChoice, AutomaticModeFormsGroupsFromTheThreadCountOn) {
    int const enough = Options::kAutomaticGroupThreads;
    EXPECT_FALSE(wants_groups(64, 0, enough - 1)) << "below the threshold one root serves every rank";
    EXPECT_TRUE(wants_groups(64, 0, enough));
    EXPECT_TRUE(wants_groups(enough, 0, enough)) << "ranks of one thread count as well";
    EXPECT_FALSE(wants_groups(2, 0, 1 << 20)) << "a root and one worker cannot be grouped";
    EXPECT_FALSE(wants_groups(1000, 1, 1 << 20)) << "group_size 1 is always flat";
    EXPECT_TRUE(wants_groups(4, 2, 4)) << "an explicit group size forms groups at any size";
}

TEST(GroupChoice, ColoursPutTheRootAloneAndCutTheOthers) {
    EXPECT_EQ(group_colour_of(true, 0, 0, 1, 64), 0);
    EXPECT_EQ(group_colour_of(true, 0, 3, 0, 0), 0);
    // An explicit size: ranks 0..5 among the others in groups of 3.
    for (int index = 0; index < 6; ++index) EXPECT_EQ(group_colour_of(false, index, 3, 0, 0), 1 + index / 3);
    // Automatic with nodes of several ranks: the node's colour, whatever the index.
    EXPECT_EQ(group_colour_of(false, 5, 0, 65, 64), 65);
    EXPECT_EQ(group_colour_of(false, 70, 0, 65, 64), 65);
}

TEST(GroupChoice, OneRankPerNodeGroupsConsecutiveRanksInsteadOfSingletons) {
    int const size = Options::kAutomaticGroupSize;
    std::set<int> colours;
    for (int index = 0; index < 4 * size; ++index) {
        int const colour = group_colour_of(false, index, 0, 1 + index + 1, 1);
        EXPECT_EQ(colour, 1 + index / size) << "index " << index;
        colours.insert(colour);
    }
    EXPECT_EQ(colours.size(), 4u) << "four groups of kAutomaticGroupSize, none of one rank";
}
