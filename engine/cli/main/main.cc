#include "b2bmail/cli/app.h"

int main(int argc, char** argv) {
  return b2bmail::cli::Run(std::vector<std::string>(argv + 1, argv + argc));
}
