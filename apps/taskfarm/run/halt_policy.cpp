#include "run/halt_policy.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string_view>

#include "run_options.hpp"

namespace taskfarm::cli {

namespace {

UsageError bad_halt(std::string const& text) {
    return UsageError(
        "--halt wants never, or soon|now,fail|success|done=N or =N% (e.g. --halt now,fail=1 or "
        "--halt soon,fail=10%), not '" +
        text + "'");
}

}  // namespace

double HaltPolicy::threshold(std::size_t total) const noexcept {
    return count > 0 ? static_cast<double>(count) : static_cast<double>(total) * percent / 100.0;
}

std::string HaltPolicy::text() const {
    if (when == When::never) return "never";
    std::string t = when == When::now ? "now," : "soon,";
    t += why == Why::fail ? "fail=" : why == Why::success ? "success=" : "done=";
    if (count > 0) return t + std::to_string(count);
    char number[32];
    std::snprintf(number, sizeof number, "%g%%", percent);
    return t + number;
}

HaltPolicy parse_halt(std::string const& text) {
    std::string form = text;
    if (form == "0") form = "never";
    else if (form == "1") form = "soon,fail=1";
    else if (form == "2") form = "now,fail=1";
    else if (form == "-1") form = "soon,success=1";
    else if (form == "-2") form = "now,success=1";
    else if (!form.empty() && form.back() == '%' && form.find(',') == std::string::npos) form = "soon,fail=" + form;
    HaltPolicy policy;
    if (form == "never") return policy;
    auto const comma = form.find(',');
    auto const equals = form.find('=');
    if (comma == std::string::npos || equals == std::string::npos || equals < comma) throw bad_halt(text);
    std::string const when = form.substr(0, comma);
    std::string const why = form.substr(comma + 1, equals - comma - 1);
    std::string value = form.substr(equals + 1);
    if (when == "soon") policy.when = HaltPolicy::When::soon;
    else if (when == "now") policy.when = HaltPolicy::When::now;
    else throw bad_halt(text);
    if (why == "fail") policy.why = HaltPolicy::Why::fail;
    else if (why == "success") policy.why = HaltPolicy::Why::success;
    else if (why == "done") policy.why = HaltPolicy::Why::done;
    else throw bad_halt(text);
    bool const percent = !value.empty() && value.back() == '%';
    if (percent) value.pop_back();
    std::uint64_t number = 0;
    auto const [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (value.empty() || ec != std::errc() || end != value.data() + value.size() || number == 0 ||
        (percent && number > 100))
        throw bad_halt(text);
    if (percent) policy.percent = static_cast<double>(number);
    else policy.count = number;
    return policy;
}

bool HaltTracker::note(TaskOutcome const& outcome) {
    std::lock_guard lock(mutex_);
    if (!outcome.loggable() || !seen_.insert(outcome.number).second) return false;
    bool const failed = !outcome.succeeded();
    (failed ? failed_ : succeeded_) += 1;
    if (policy_.when == HaltPolicy::When::never || halt_status_) return false;
    std::size_t const counted = policy_.why == HaltPolicy::Why::fail      ? failed_
                                : policy_.why == HaltPolicy::Why::success ? succeeded_
                                                                          : failed_ + succeeded_;
    if (policy_.why == HaltPolicy::Why::fail && !failed) return false;
    if (policy_.why == HaltPolicy::Why::success && failed) return false;
    if (static_cast<double>(counted) < policy_.threshold(total_)) return false;
    // GNU parallel's exit status, fixed when the condition first holds.
    if (policy_.why == HaltPolicy::Why::success) halt_status_ = 0;
    else if (policy_.count == 1)
        // Perl's exit(-1) (a timed-out task) is 255.
        halt_status_ = outcome.exit_code != 0 ? (outcome.exit_code < 0 ? 255 : outcome.exit_code)
                       : outcome.signal > 0   ? 128 + outcome.signal
                                              : 0;
    else if (policy_.percent > 0)
        halt_status_ = static_cast<int>(std::ceil(100.0 * static_cast<double>(failed_) / static_cast<double>(total_)));
    else halt_status_ = static_cast<int>(std::min<std::size_t>(failed_, 101));
    return true;
}

bool HaltTracker::halted() const {
    std::lock_guard lock(mutex_);
    return halt_status_.has_value();
}

std::optional<int> HaltTracker::exit_status() const {
    std::lock_guard lock(mutex_);
    if (policy_.when == HaltPolicy::When::never) return std::nullopt;
    if (halt_status_) return halt_status_;
    if (policy_.percent > 0)  // never halted: GNU parallel's share of failed tasks
        return static_cast<int>(std::ceil(100.0 * static_cast<double>(failed_) /
                                          static_cast<double>(std::max<std::size_t>(failed_ + succeeded_, 1))));
    return static_cast<int>(std::min<std::size_t>(failed_, 101));
}

}  // namespace taskfarm::cli
