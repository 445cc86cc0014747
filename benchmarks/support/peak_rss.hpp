/// @file
/// @brief This process's peak resident memory (VmHWM), the figure the memory targets are about.
#pragma once

#include <fstream>
#include <string>

namespace bench {

/// Peak resident set size in bytes, from /proc/self/status (VmHWM, in kB); 0 if unreadable.
inline double peak_rss_bytes() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) * 1024.0;
    }
    return 0.0;
}

}  // namespace bench
