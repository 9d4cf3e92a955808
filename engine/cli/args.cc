#include "args.h"

#include "b2bmail/base/error.h"

namespace b2bmail::cli {

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& value_options,
           const std::set<std::string>& flags) {
  bool only_positional = false;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (only_positional || a.size() < 2 || a.rfind("--", 0) != 0) {
      if (a == "-h") {
        flags_.insert("help");
        continue;
      }
      positional_.push_back(a);
      continue;
    }
    if (a == "--") {
      only_positional = true;
      continue;
    }
    std::string name = a.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (flags.contains(name)) {
      if (inline_value) throw Error(ErrorKind::kUsage, "--" + name + " takes no value");
      flags_.insert(name);
    } else if (value_options.contains(name)) {
      if (inline_value) {
        values_[name] = *inline_value;
      } else {
        if (i + 1 >= argv.size()) throw Error(ErrorKind::kUsage, "--" + name + " needs a value");
        values_[name] = argv[++i];
      }
    } else {
      throw Error(ErrorKind::kUsage, "unknown option --" + name + " (see --help)");
    }
  }
}

std::optional<std::string> Args::Get(const std::string& option) const {
  auto it = values_.find(option);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

}  // namespace b2bmail::cli
