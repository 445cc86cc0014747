/// @file
/// @brief MPI start and end for programs that do not manage MPI themselves.
///
/// @code{.cpp}
/// int main(int argc, char** argv) {
///     taskfarm::Environment env(argc, argv);  // MPI_Init_thread(FUNNELED) unless already done
///     taskfarm::Farm farm;                    // ... use farms while env lives
/// }                                           // MPI_Finalize, only if env initialized MPI
/// @endcode
#pragma once

namespace taskfarm {

/// @brief Initializes MPI with at least `MPI_THREAD_FUNNELED` unless the program already did, and
/// finalizes at destruction only what it initialized. Destroy every Farm before it.
class Environment {
public:
    Environment(int& argc, char**& argv);
    Environment();
    ~Environment();
    Environment(Environment const&) = delete;
    Environment& operator=(Environment const&) = delete;

    /// Whether this object called MPI_Init_thread (and so will call MPI_Finalize).
    [[nodiscard]] bool initialized_mpi() const noexcept { return initialized_; }

private:
    bool initialized_ = false;
};

}  // namespace taskfarm
