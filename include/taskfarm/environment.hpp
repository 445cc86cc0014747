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

/// @brief How many threads may call MPI, as MPI_Init_thread's levels (in that order).
enum class ThreadLevel { single, funneled, serialized, multiple };

/// @brief Initializes MPI with at least `MPI_THREAD_FUNNELED` (or the level asked for) unless the
/// program already did, and finalizes at destruction only what it initialized. Destroy every
/// Farm before it.
class Environment {
public:
    Environment(int& argc, char**& argv);
    /// Asks MPI for `wanted` (e.g. ThreadLevel::multiple where tasks call MPI themselves); MPI
    /// may grant less: check provided(). A level below funneled is raised to funneled, which
    /// the farm needs.
    Environment(int& argc, char**& argv, ThreadLevel wanted);
    Environment();
    explicit Environment(ThreadLevel wanted);
    ~Environment();
    Environment(Environment const&) = delete;
    Environment& operator=(Environment const&) = delete;

    /// Whether this object called MPI_Init_thread (and so will call MPI_Finalize).
    [[nodiscard]] bool initialized_mpi() const noexcept { return initialized_; }
    /// The level MPI runs at (MPI_Query_thread), also when the program initialized MPI itself.
    [[nodiscard]] ThreadLevel provided() const noexcept { return provided_; }

private:
    void start(int* argc, char*** argv, ThreadLevel wanted);
    bool initialized_ = false;
    ThreadLevel provided_ = ThreadLevel::funneled;
};

}  // namespace taskfarm
