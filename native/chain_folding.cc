#include "chain_folding.h"

#include <unordered_set>

#include "back_pointers.h"

namespace memalot {

namespace {

bool Follows(const Referrer& r) { return !r.root && r.holder != Referrer::kNoHolder; }

// "9,999": counts of thousands read at a glance.
std::string Grouped(size_t number) {
  const std::string digits = std::to_string(number);
  std::string grouped;
  for (size_t i = 0; i < digits.size(); i++) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(digits[i]);
  }
  return grouped;
}

}  // namespace

ChainFolder::ChainFolder(RetainerLabeler& labeler, const std::vector<uint32_t>& distances, ReferrersOf referrers_of)
    : labeler_(labeler), distances_(distances), referrers_of_(std::move(referrers_of)) {}

std::string ChainFolder::Key(const Referrer& referrer) {
  return referrer.label + '\n' + labeler_.ObjectName(referrer.holder);
}

std::string ChainFolder::RunLabel(const FoldedRun& run) { return run.last.label + " \u00d7" + Grouped(run.steps); }

std::string ChainFolder::RepeatLabel(const FoldedRun& run) {
  const size_t more = run.repeats() - 1;
  return "(the " + std::to_string(run.period) + " steps above repeat " + Grouped(more) +
         (more == 1 ? " more time)" : " more times)");
}

FoldedRun ChainFolder::Find(uint32_t from, const Referrer& first, const std::function<bool(uint32_t)>& shown,
                            std::chrono::steady_clock::time_point deadline) {
  if (!Follows(first) || shown(first.holder)) return {};
  const std::string first_key = Key(first);
  for (size_t period = 1; period <= kMaxPeriod; period++) {
    // The pattern: the given step, then the way each holder is best held (the program's own
    // references first, then nearest the root), as the search would pick them.
    std::vector<Referrer> pattern{first};
    std::vector<std::string> keys{first_key};
    std::unordered_set<uint32_t> visited{from, first.holder};
    uint32_t current = first.holder;
    bool complete = true;
    for (size_t i = 1; i < period && complete; i++) {
      scratch_.clear();
      referrers_of_(current, scratch_);
      const Referrer* best = nullptr;
      for (const Referrer& r : scratch_) {
        if (!Follows(r) || visited.count(r.holder) != 0 || shown(r.holder) || IsBackPointerLabel(r.label)) continue;
        if (best == nullptr || (best->internal && !r.internal) ||
            (best->internal == r.internal && distances_[r.holder] < distances_[best->holder])) {
          best = &r;
        }
      }
      if (best == nullptr) {
        complete = false;
        break;
      }
      pattern.push_back(*best);
      keys.push_back(Key(*best));
      visited.insert(best->holder);
      current = best->holder;
    }
    if (!complete) break;  // a longer pattern would not be found either
    // A pattern made of one step repeated is period 1's, found (or not) already.
    bool uniform = period > 1;
    for (size_t i = 1; i < period && uniform; i++) uniform = keys[i] == keys[0];
    if (uniform) continue;

    // Follow the pattern for as long as it holds.
    size_t steps = period;
    Referrer last = pattern.back();
    Referrer at_period_end = last;  // the last step that completed a period
    size_t complete_steps = period;
    while (!shown(current)) {
      if ((steps & 1023) == 0 && std::chrono::steady_clock::now() > deadline) break;
      const std::string& expected = keys[steps % period];
      const std::string expected_label = expected.substr(0, expected.find('\n'));
      scratch_.clear();
      referrers_of_(current, scratch_);
      const Referrer* next = nullptr;
      for (const Referrer& r : scratch_) {
        if (!Follows(r) || r.label != expected_label || visited.count(r.holder) != 0) continue;
        if (Key(r) == expected) {
          next = &r;
          break;
        }
      }
      if (next == nullptr) break;
      last = *next;
      visited.insert(next->holder);
      current = next->holder;
      steps++;
      if (steps % period == 0) {
        complete_steps = steps;
        at_period_end = last;
      }
    }
    if (complete_steps / period >= kMinRepeats) {
      FoldedRun run;
      run.period = period;
      run.steps = complete_steps;
      run.first_period = std::move(pattern);
      run.last = std::move(at_period_end);
      return run;
    }
  }
  return {};
}

}  // namespace memalot
