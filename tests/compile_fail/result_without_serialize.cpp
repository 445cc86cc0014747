// A result with a std::string member is not trivially copyable, and it has no serialize().
#include <string>

#include <taskfarm/farm.hpp>

struct Label {
    std::string text;
};

void use(taskfarm::Farm& farm) {
    (void)farm.map([](std::size_t i) { return Label{std::to_string(i)}; }, taskfarm::indices(4));
}
