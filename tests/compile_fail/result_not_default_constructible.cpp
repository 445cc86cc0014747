// The farm makes empty results first and fills them in as they arrive.
#include <taskfarm/farm.hpp>

struct Meters {
    explicit Meters(double v) : value(v) {}
    double value;
};

void use(taskfarm::Farm& farm) {
    (void)farm.map([](std::size_t i) { return Meters(double(i)); }, taskfarm::indices(4));
}
