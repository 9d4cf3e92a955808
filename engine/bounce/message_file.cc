#include "message_file.h"

#include <fstream>
#include <sstream>

#include "b2bmail/base/error.h"

namespace b2bmail::bounce {

std::string ReadMessageFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kIo, "cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace b2bmail::bounce
