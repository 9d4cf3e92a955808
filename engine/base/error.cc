#include "b2bmail/base/error.h"

namespace b2bmail {

std::string_view ToString(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kIo:
      return "io";
    case ErrorKind::kDatabase:
      return "database";
    case ErrorKind::kNetwork:
      return "network";
    case ErrorKind::kProtocol:
      return "protocol";
    case ErrorKind::kConfig:
      return "config";
    case ErrorKind::kUsage:
      return "usage";
    case ErrorKind::kInternal:
      return "internal";
  }
  return "unknown";
}

}  // namespace b2bmail
