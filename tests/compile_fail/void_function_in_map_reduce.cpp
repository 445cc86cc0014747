// map_reduce has nothing to fold when the function returns void.
#include <functional>

#include <taskfarm/farm.hpp>

void touch(std::size_t) {}

void use(taskfarm::Farm& farm) { (void)farm.map_reduce(touch, std::plus<>{}, taskfarm::indices(4), 0); }
