// Every way Boost.Serialization accepts a type must pass the checks: a member serialize, a free
// serialize next to the type (ADL), a non-intrusive one in boost::serialization, split
// save/load, std containers of those, raw types, tuples for starmap, void functions.
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <boost/serialization/split_member.hpp>

#include <taskfarm/farm.hpp>

struct WithMember {
    std::string name;
    template <class Archive>
    void serialize(Archive& ar, unsigned) {
        // clang-format off
        ar & name;
        // clang-format on
    }
};

namespace physics {
struct WithAdl {
    std::vector<double> values;
};
template <class Archive>
void serialize(Archive& ar, WithAdl& w, unsigned) {
    // clang-format off
    ar & w.values;
    // clang-format on
}
}  // namespace physics

struct NonIntrusive {
    std::string text;
};
namespace boost::serialization {
template <class Archive>
void serialize(Archive& ar, NonIntrusive& n, unsigned) {
    // clang-format off
    ar & n.text;
    // clang-format on
}
}  // namespace boost::serialization

struct Split {
    std::string text;
    template <class Archive>
    void save(Archive& ar, unsigned) const {
        ar << text;
    }
    template <class Archive>
    void load(Archive& ar, unsigned) {
        ar >> text;
    }
    BOOST_SERIALIZATION_SPLIT_MEMBER()
};

struct Raw {
    double x;
    int n;
};

void use(taskfarm::Farm& farm) {
    auto i = taskfarm::indices(4);
    (void)farm.map([](std::size_t) { return WithMember{}; }, i);
    (void)farm.map([](std::size_t) { return physics::WithAdl{}; }, i);
    (void)farm.map([](std::size_t) { return NonIntrusive{}; }, i);
    (void)farm.map([](std::size_t) { return Split{}; }, i);
    (void)farm.map([](std::size_t) { return Raw{}; }, i);
    (void)farm.map([](std::size_t) { return std::vector<WithMember>{}; }, i);
    (void)farm.map([](std::size_t) { return std::map<std::string, std::vector<double>>{}; }, i);
    (void)farm.map([](std::size_t) { return std::optional<std::pair<int, std::string>>{}; }, i);
    (void)farm.map([](WithMember const& w) { return w.name.size(); }, std::vector<WithMember>{});
    (void)farm.starmap([](int a, std::string const& b) { return a + int(b.size()); },
                       std::vector<std::tuple<int, std::string>>{});
    farm.map([](std::size_t) {}, i);
    farm.for_each([](std::size_t) {}, i, [](std::size_t) {});
    (void)farm.map_reduce([](std::size_t k) { return double(k); }, std::plus<>{}, i, 0.0);
    for (std::string const& s : farm.imap([](std::size_t k) { return std::to_string(k); }, i)) (void)s;
    std::vector<double> table;
    (void)farm.map([](std::vector<double> const& t, std::size_t k) { return t[k]; }, taskfarm::shared(table), i);
    farm.broadcast(table);
}
