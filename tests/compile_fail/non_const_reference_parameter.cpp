// A task gets a copy of its input: changing it through a reference would change nothing.
#include <vector>

#include <taskfarm/farm.hpp>

int twice(int& x) { return x *= 2; }

void use(taskfarm::Farm& farm, std::vector<int> const& inputs) { (void)farm.map(twice, inputs); }
