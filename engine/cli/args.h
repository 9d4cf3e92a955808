#pragma once
// A small argument list: positionals, `--flag`, `--option value` and `--option=value`.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace b2bmail::cli {

class Args {
 public:
  // `value_options` take a value; `flags` do not. Anything else starting with `--`
  // is a usage error (thrown as Error{kUsage}).
  Args(const std::vector<std::string>& argv, const std::set<std::string>& value_options,
       const std::set<std::string>& flags);

  const std::vector<std::string>& positional() const { return positional_; }
  bool Has(const std::string& flag) const { return flags_.contains(flag); }
  std::optional<std::string> Get(const std::string& option) const;

 private:
  std::vector<std::string> positional_;
  std::set<std::string> flags_;
  std::map<std::string, std::string> values_;
};

}  // namespace b2bmail::cli
